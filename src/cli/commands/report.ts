import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';

interface ReportFlags {
  from?: string;
  to?: string;
  by?: string;
  format: string;
  within?: string;
  asOf?: string;
  playbook?: string;
  config?: string;
}

/**
 * `playbook report <kpi> [--from] [--to] [--by] [--within] [--playbook] [--as-of] [--format table|json|csv]`: a
 * built-in KPI (docs/kpis.md) computed from the store, the same figures `GET /v1/reports/<kpi>` answers.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description(
      'a built-in KPI from the store: on-time, escalation-lead-time, follow-up, first-touch, outcomes, funnel, goals, goal-trend, versions, coverage, at-risk',
    )
    .argument('<kpi>', 'the report (docs/kpis.md)')
    .option('--from <date>', 'the period starts at this ISO-8601 date (UTC) or instant (default: 90 days before --to)')
    .option('--to <date>', 'the period ends before this ISO-8601 date (UTC) or instant (default: --as-of)')
    .option('--by <dimension>', 'group by playbook, version, stage, csm or segment (default: the first the report takes)')
    .option('--within <n>', 'follow-up: business days (default 2); first-touch: business hours (default 4); escalation-lead-time: business days (default 5)')
    .option('--playbook <id>', 'only the runs of this playbook (default: every playbook)')
    .option(
      '--as-of <instant>',
      'the report as it stood then: tasks open past their due at that instant are late, coverage counts the accounts and runs of then (default: now)',
    )
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--config <file>', CONFIG_HELP)
    .action(async (name: string, flags: ReportFlags) => {
      const [
        { loadOpsConfig },
        { requireStoreConfig, withStore },
        { kpiNamed, runReport },
        { REPORT_FORMATS, renderReport },
        { REPORT_DIMENSIONS },
        { dateOrInstantFlag },
      ] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../store/session.js'),
        import('../../reports/index.js'),
        import('../../reports/render.js'),
        import('../../reports/types.js'),
        import('../../ops/date-flag.js'),
      ]);
      const kpi = kpiNamed(name);
      const format = REPORT_FORMATS.find((f) => f === flags.format);
      if (format === undefined) throw new UserError(`--format must be ${REPORT_FORMATS.join(', ')}; got ${JSON.stringify(flags.format)}`, 'usage');
      const by = flags.by === undefined ? undefined : REPORT_DIMENSIONS.find((d) => d === flags.by);
      if (flags.by !== undefined && by === undefined)
        throw new UserError(`--by must be ${REPORT_DIMENSIONS.join(', ')}; got ${JSON.stringify(flags.by)}`, 'usage');
      const from = dateOrInstantFlag('--from', flags.from);
      const to = dateOrInstantFlag('--to', flags.to);
      const asOf = dateOrInstantFlag('--as-of', flags.asOf);
      const within = flags.within === undefined ? undefined : Number(flags.within);
      if (flags.within !== undefined && (flags.within.trim() === '' || !Number.isFinite(within))) {
        throw new UserError(`--within must be a number; got ${JSON.stringify(flags.within)}`, 'usage');
      }
      const store = requireStoreConfig(loadOpsConfig(flags.config).store);
      const report = await withStore(store, (db) =>
        runReport(db, kpi.name, {
          ...(from && { from }),
          ...(to && { to }),
          ...(asOf && { asOf }),
          ...(by && { by }),
          ...(within !== undefined && { within }),
          ...(flags.playbook !== undefined && { playbook: flags.playbook }),
        }),
      );
      ctx.io.out(renderReport(report, format));
    });
}
