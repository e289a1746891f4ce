#!/bin/sh
# The one-shot setup of the production stack (docker-compose.yml, service temporal-setup):
# waits for the Temporal server, creates the playbooks' namespace, and registers the search
# attributes the playbook workflow sets (playbook list, the Temporal UI filter by them).
# Safe to run again: what already exists is left as it is.
set -eu

namespace="${PLAYBOOK_NAMESPACE:-playbooks}"
retention="${PLAYBOOK_RETENTION:-30d}"

echo "waiting for Temporal at ${TEMPORAL_ADDRESS}..."
until temporal operator cluster health >/dev/null 2>&1; do sleep 2; done

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
  echo "created namespace $namespace (retention $retention)"
fi

# name and type of each search attribute (src/temporal/contract.ts, SEARCH_ATTRIBUTE_SCHEMA)
for attribute in PlaybookId:Keyword PlaybookVersion:Keyword AccountId:Keyword PlaybookStage:Keyword PlaybookStatus:Keyword OpenTaskAssignees:KeywordList; do
  name="${attribute%%:*}"
  type="${attribute#*:}"
  if temporal operator search-attribute list --namespace "$namespace" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"
    echo "created search attribute $name ($type)"
  fi
done
