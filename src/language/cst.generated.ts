/**
 * The CST node types of the parser's rules, generated from `parser.ts` by `npm run grammar`
 * (chevrotain's `generateCstDts`); do not edit. `cst-access.ts` takes its keys from here.
 * A key the types call required is still missing from a node that error recovery cut short.
 */
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  playbookDecl?: PlaybookDeclCstNode[];
  calendarDecl?: CalendarDeclCstNode[];
  accountFieldsDecl?: AccountFieldsDeclCstNode[];
  eventsDecl?: EventsDeclCstNode[];
  contactPolicyDecl?: ContactPolicyDeclCstNode[];
  coverageDecl?: CoverageDeclCstNode[];
  unknownDeclaration?: UnknownDeclarationCstNode[];
};

export interface PlaybookDeclCstNode extends CstNode {
  name: "playbookDecl";
  children: PlaybookDeclCstChildren;
}

export type PlaybookDeclCstChildren = {
  playbookHead: PlaybookHeadCstNode[];
  lineEnd: LineEndCstNode[];
  block?: BlockCstNode[];
};

export interface PlaybookHeadCstNode extends CstNode {
  name: "playbookHead";
  children: PlaybookHeadCstChildren;
}

export type PlaybookHeadCstChildren = {
  Playbook: IToken[];
  Name: IToken[];
  StringLit?: IToken[];
};

export interface CalendarDeclCstNode extends CstNode {
  name: "calendarDecl";
  children: CalendarDeclCstChildren;
}

export type CalendarDeclCstChildren = {
  calendarHead: CalendarHeadCstNode[];
  lineEnd: LineEndCstNode[];
  calendarBlock?: CalendarBlockCstNode[];
};

export interface CalendarHeadCstNode extends CstNode {
  name: "calendarHead";
  children: CalendarHeadCstChildren;
}

export type CalendarHeadCstChildren = {
  Calendar: IToken[];
  Name: IToken[];
  StringLit?: IToken[];
};

export interface AccountFieldsDeclCstNode extends CstNode {
  name: "accountFieldsDecl";
  children: AccountFieldsDeclCstChildren;
}

export type AccountFieldsDeclCstChildren = {
  accountFieldsHead: AccountFieldsHeadCstNode[];
  lineEnd: LineEndCstNode[];
  fieldsBlock?: FieldsBlockCstNode[];
};

export interface AccountFieldsHeadCstNode extends CstNode {
  name: "accountFieldsHead";
  children: AccountFieldsHeadCstChildren;
}

export type AccountFieldsHeadCstChildren = {
  Account: IToken[];
  Fields: IToken[];
};

export interface EventsDeclCstNode extends CstNode {
  name: "eventsDecl";
  children: EventsDeclCstChildren;
}

export type EventsDeclCstChildren = {
  Events: IToken[];
  lineEnd: LineEndCstNode[];
  eventsBlock?: EventsBlockCstNode[];
};

export interface ContactPolicyDeclCstNode extends CstNode {
  name: "contactPolicyDecl";
  children: ContactPolicyDeclCstChildren;
}

export type ContactPolicyDeclCstChildren = {
  ScalarType: IToken[];
  Name: IToken[];
  lineEnd: LineEndCstNode[];
  policyBlock?: PolicyBlockCstNode[];
};

export interface CoverageDeclCstNode extends CstNode {
  name: "coverageDecl";
  children: CoverageDeclCstChildren;
}

export type CoverageDeclCstChildren = {
  Coverage: IToken[];
  Name: IToken[];
  StringLit?: IToken[];
  Target: IToken[];
  PercentLit: IToken[];
  lineEnd: LineEndCstNode[];
  coverageBlock?: CoverageBlockCstNode[];
};

export interface UnknownDeclarationCstNode extends CstNode {
  name: "unknownDeclaration";
  children: UnknownDeclarationCstChildren;
}

export type UnknownDeclarationCstChildren = {
  NotDeclarationStart: IToken[];
  LineContent?: IToken[];
  lineEnd: LineEndCstNode[];
  block?: BlockCstNode[];
};

export interface FieldsBlockCstNode extends CstNode {
  name: "fieldsBlock";
  children: FieldsBlockCstChildren;
}

export type FieldsBlockCstChildren = {
  Indent: IToken[];
  fieldLine: FieldLineCstNode[];
  Dedent: IToken[];
};

export interface FieldLineCstNode extends CstNode {
  name: "fieldLine";
  children: FieldLineCstChildren;
}

export type FieldLineCstChildren = {
  fieldDecl?: FieldDeclCstNode[];
  unknownFieldLine?: UnknownFieldLineCstNode[];
  lineEnd: LineEndCstNode[];
  fieldsBlock?: FieldsBlockCstNode[];
};

export interface FieldDeclCstNode extends CstNode {
  name: "fieldDecl";
  children: FieldDeclCstChildren;
}

export type FieldDeclCstChildren = {
  Word: IToken[];
  Colon: IToken[];
  fieldType: FieldTypeCstNode[];
};

export interface UnknownFieldLineCstNode extends CstNode {
  name: "unknownFieldLine";
  children: UnknownFieldLineCstChildren;
}

export type UnknownFieldLineCstChildren = {
  NotFieldStart: IToken[];
  LineContent?: IToken[];
};

export interface FieldTypeCstNode extends CstNode {
  name: "fieldType";
  children: FieldTypeCstChildren;
}

export type FieldTypeCstChildren = {
  ScalarType?: IToken[];
  Timezone?: IToken[];
  YesNo?: IToken[];
  oneOf?: OneOfCstNode[];
  listOf?: ListOfCstNode[];
};

export interface ListOfCstNode extends CstNode {
  name: "listOf";
  children: ListOfCstChildren;
}

export type ListOfCstChildren = {
  List: IToken[];
  Of: IToken[];
  ScalarType?: IToken[];
  Timezone?: IToken[];
  YesNo?: IToken[];
};

export interface OneOfCstNode extends CstNode {
  name: "oneOf";
  children: OneOfCstChildren;
}

export type OneOfCstChildren = {
  One: IToken[];
  Of: IToken[];
  Word: (IToken)[];
  Comma?: IToken[];
};

export interface PolicyBlockCstNode extends CstNode {
  name: "policyBlock";
  children: PolicyBlockCstChildren;
}

export type PolicyBlockCstChildren = {
  Indent: IToken[];
  policyLine: PolicyLineCstNode[];
  Dedent: IToken[];
};

export interface PolicyLineCstNode extends CstNode {
  name: "policyLine";
  children: PolicyLineCstChildren;
}

export type PolicyLineCstChildren = {
  capLine?: CapLineCstNode[];
  cappedLine?: CappedLineCstNode[];
  unknownPolicyLine?: UnknownPolicyLineCstNode[];
  lineEnd: LineEndCstNode[];
  policyBlock?: PolicyBlockCstNode[];
};

export interface CapLineCstNode extends CstNode {
  name: "capLine";
  children: CapLineCstChildren;
}

export type CapLineCstChildren = {
  At: IToken[];
  Most: IToken[];
  count: IToken[];
  unit: IToken[];
  Per: (IToken)[];
  subject: IToken[];
  amount?: IToken[];
  durationUnit: DurationUnitCstNode[];
};

export interface CappedLineCstNode extends CstNode {
  name: "cappedLine";
  children: CappedLineCstChildren;
}

export type CappedLineCstChildren = {
  When: IToken[];
  condition: IToken[];
  action: IToken[];
};

export interface UnknownPolicyLineCstNode extends CstNode {
  name: "unknownPolicyLine";
  children: UnknownPolicyLineCstChildren;
}

export type UnknownPolicyLineCstChildren = {
  NotPolicyStart: IToken[];
  LineContent?: IToken[];
};

export interface CoverageBlockCstNode extends CstNode {
  name: "coverageBlock";
  children: CoverageBlockCstChildren;
}

export type CoverageBlockCstChildren = {
  Indent: IToken[];
  coverageLine: CoverageLineCstNode[];
  Dedent: IToken[];
};

export interface CoverageLineCstNode extends CstNode {
  name: "coverageLine";
  children: CoverageLineCstChildren;
}

export type CoverageLineCstChildren = {
  populationLine?: PopulationLineCstNode[];
  coveredByLine?: CoveredByLineCstNode[];
  unknownCoverageLine?: UnknownCoverageLineCstNode[];
  lineEnd: LineEndCstNode[];
  coverageBlock?: CoverageBlockCstNode[];
};

export interface PopulationLineCstNode extends CstNode {
  name: "populationLine";
  children: PopulationLineCstChildren;
}

export type PopulationLineCstChildren = {
  subject: IToken[];
  Where: IToken[];
  expression: ExpressionCstNode[];
};

export interface CoveredByLineCstNode extends CstNode {
  name: "coveredByLine";
  children: CoveredByLineCstChildren;
}

export type CoveredByLineCstChildren = {
  verb: IToken[];
  Run: IToken[];
  playbook: IToken[];
};

export interface UnknownCoverageLineCstNode extends CstNode {
  name: "unknownCoverageLine";
  children: UnknownCoverageLineCstChildren;
}

export type UnknownCoverageLineCstChildren = {
  LineContent: (IToken)[];
};

export interface EventsBlockCstNode extends CstNode {
  name: "eventsBlock";
  children: EventsBlockCstChildren;
}

export type EventsBlockCstChildren = {
  Indent: IToken[];
  eventLine: EventLineCstNode[];
  Dedent: IToken[];
};

export interface EventLineCstNode extends CstNode {
  name: "eventLine";
  children: EventLineCstChildren;
}

export type EventLineCstChildren = {
  eventDecl?: EventDeclCstNode[];
  unknownFieldLine?: UnknownFieldLineCstNode[];
  lineEnd: LineEndCstNode[];
  eventsBlock?: EventsBlockCstNode[];
};

export interface EventDeclCstNode extends CstNode {
  name: "eventDecl";
  children: EventDeclCstChildren;
}

export type EventDeclCstChildren = {
  Word: (IToken)[];
  Dot?: IToken[];
  Colon?: IToken[];
  payloadItem?: (PayloadItemCstNode)[];
  Comma?: IToken[];
};

export interface PayloadItemCstNode extends CstNode {
  name: "payloadItem";
  children: PayloadItemCstChildren;
}

export type PayloadItemCstChildren = {
  Word: IToken[];
  ScalarType?: IToken[];
  Timezone?: IToken[];
  YesNo?: IToken[];
  One?: IToken[];
  Of?: IToken[];
  value?: IToken[];
  listOf?: ListOfCstNode[];
};

export interface CalendarBlockCstNode extends CstNode {
  name: "calendarBlock";
  children: CalendarBlockCstChildren;
}

export type CalendarBlockCstChildren = {
  Indent: IToken[];
  calendarLine: CalendarLineCstNode[];
  Dedent: IToken[];
};

export interface CalendarLineCstNode extends CstNode {
  name: "calendarLine";
  children: CalendarLineCstChildren;
}

export type CalendarLineCstChildren = {
  timezoneItem?: TimezoneItemCstNode[];
  workingItem?: WorkingItemCstNode[];
  holidaysItem?: HolidaysItemCstNode[];
  holidayItem?: HolidayItemCstNode[];
  unknownCalendarLine?: UnknownCalendarLineCstNode[];
  lineEnd: LineEndCstNode[];
  calendarBlock?: CalendarBlockCstNode[];
};

export interface TimezoneItemCstNode extends CstNode {
  name: "timezoneItem";
  children: TimezoneItemCstChildren;
}

export type TimezoneItemCstChildren = {
  Timezone: IToken[];
  timezoneSource: (TimezoneSourceCstNode)[];
  Or?: IToken[];
};

export interface TimezoneSourceCstNode extends CstNode {
  name: "timezoneSource";
  children: TimezoneSourceCstChildren;
}

export type TimezoneSourceCstChildren = {
  fieldRef?: FieldRefCstNode[];
  StringLit?: IToken[];
};

export interface WorkingItemCstNode extends CstNode {
  name: "workingItem";
  children: WorkingItemCstChildren;
}

export type WorkingItemCstChildren = {
  Working: IToken[];
  Day?: IToken[];
  weekdays?: WeekdaysCstNode[];
  Hour?: IToken[];
  from?: IToken[];
  To?: IToken[];
  to?: IToken[];
};

export interface WeekdaysCstNode extends CstNode {
  name: "weekdays";
  children: WeekdaysCstChildren;
}

export type WeekdaysCstChildren = {
  Weekday: (IToken)[];
  To?: IToken[];
  Comma?: IToken[];
};

export interface HolidaysItemCstNode extends CstNode {
  name: "holidaysItem";
  children: HolidaysItemCstChildren;
}

export type HolidaysItemCstChildren = {
  Holidays: IToken[];
  holidaysSource: (HolidaysSourceCstNode)[];
  Or?: IToken[];
};

export interface HolidaysSourceCstNode extends CstNode {
  name: "holidaysSource";
  children: HolidaysSourceCstChildren;
}

export type HolidaysSourceCstChildren = {
  fieldRef?: FieldRefCstNode[];
  StringLit?: IToken[];
};

export interface HolidayItemCstNode extends CstNode {
  name: "holidayItem";
  children: HolidayItemCstChildren;
}

export type HolidayItemCstChildren = {
  Holiday: IToken[];
  DateLit: IToken[];
  StringLit?: IToken[];
};

export interface UnknownCalendarLineCstNode extends CstNode {
  name: "unknownCalendarLine";
  children: UnknownCalendarLineCstChildren;
}

export type UnknownCalendarLineCstChildren = {
  NotCalendarStart: IToken[];
  LineContent?: IToken[];
};

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  Indent: IToken[];
  line: LineCstNode[];
  Dedent: IToken[];
};

export interface LineCstNode extends CstNode {
  name: "line";
  children: LineCstChildren;
}

export type LineCstChildren = {
  waitable?: WaitableCstNode[];
  goalMilestone?: GoalMilestoneCstNode[];
  lineContent?: LineContentCstNode[];
  lineEnd: LineEndCstNode[];
  block?: BlockCstNode[];
};

export interface LineEndCstNode extends CstNode {
  name: "lineEnd";
  children: LineEndCstChildren;
}

export type LineEndCstChildren = {
  Colon?: IToken[];
  LineContent?: IToken[];
  Newline: IToken[];
};

export interface LineContentCstNode extends CstNode {
  name: "lineContent";
  children: LineContentCstChildren;
}

export type LineContentCstChildren = {
  ownerLine?: OwnerLineCstNode[];
  descriptionLine?: DescriptionLineCstNode[];
  triggerLine?: TriggerLineCstNode[];
  calendarRefLine?: CalendarRefLineCstNode[];
  sendWindowLine?: SendWindowLineCstNode[];
  exitWhenLine?: ExitWhenLineCstNode[];
  runKeyLine?: RunKeyLineCstNode[];
  throttleLine?: ThrottleLineCstNode[];
  parametersLine?: ParametersLineCstNode[];
  goalLine?: GoalLineCstNode[];
  stageLine?: StageLineCstNode[];
  emailStep?: EmailStepCstNode[];
  notifyStep?: NotifyStepCstNode[];
  taskStep?: TaskStepCstNode[];
  askLine?: AskLineCstNode[];
  escalateStep?: EscalateStepCstNode[];
  waitStep?: WaitStepCstNode[];
  ifLine?: IfLineCstNode[];
  elseLine?: ElseLineCstNode[];
  repeatLine?: RepeatLineCstNode[];
  setStep?: SetStepCstNode[];
  webhookStep?: WebhookStepCstNode[];
  runStep?: RunStepCstNode[];
  noteStep?: NoteStepCstNode[];
  stopStep?: StopStepCstNode[];
  afterLine?: AfterLineCstNode[];
  onTimeoutLine?: OnTimeoutLineCstNode[];
  unknownLine?: UnknownLineCstNode[];
};

export interface OwnerLineCstNode extends CstNode {
  name: "ownerLine";
  children: OwnerLineCstChildren;
}

export type OwnerLineCstChildren = {
  Owner: IToken[];
  StringLit: IToken[];
};

export interface DescriptionLineCstNode extends CstNode {
  name: "descriptionLine";
  children: DescriptionLineCstChildren;
}

export type DescriptionLineCstChildren = {
  Description: IToken[];
  StringLit: IToken[];
};

export interface TriggerLineCstNode extends CstNode {
  name: "triggerLine";
  children: TriggerLineCstChildren;
}

export type TriggerLineCstChildren = {
  Trigger: IToken[];
  Manual?: IToken[];
  On?: IToken[];
  Event?: IToken[];
  StringLit?: IToken[];
  As?: IToken[];
  Name?: IToken[];
  whereClause?: (WhereClauseCstNode)[];
  triggerGuard?: (TriggerGuardCstNode)[];
  duration?: DurationCstNode[];
  direction?: DirectionCstNode[];
  fieldRef?: FieldRefCstNode[];
  When?: IToken[];
  expression?: ExpressionCstNode[];
  cadence?: CadenceCstNode[];
};

export interface CadenceCstNode extends CstNode {
  name: "cadence";
  children: CadenceCstChildren;
}

export type CadenceCstChildren = {
  Every: IToken[];
  NumberLit?: IToken[];
  durationUnit: DurationUnitCstNode[];
  On?: IToken[];
  First?: IToken[];
  Business?: IToken[];
  Day?: (IToken)[];
  dayOfMonth?: IToken[];
  Weekday?: IToken[];
};

export interface TriggerGuardCstNode extends CstNode {
  name: "triggerGuard";
  children: TriggerGuardCstChildren;
}

export type TriggerGuardCstChildren = {
  Unless?: IToken[];
  Running?: IToken[];
  Name?: IToken[];
  At?: IToken[];
  Most?: IToken[];
  Once?: IToken[];
  Per?: IToken[];
  duration?: DurationCstNode[];
};

export interface WhereClauseCstNode extends CstNode {
  name: "whereClause";
  children: WhereClauseCstChildren;
}

export type WhereClauseCstChildren = {
  Where: IToken[];
  expression: ExpressionCstNode[];
};

export interface RunKeyLineCstNode extends CstNode {
  name: "runKeyLine";
  children: RunKeyLineCstChildren;
}

export type RunKeyLineCstChildren = {
  One: IToken[];
  Run: IToken[];
  Per: IToken[];
  Name: IToken[];
  And?: IToken[];
  fieldRef?: FieldRefCstNode[];
};

export interface ThrottleLineCstNode extends CstNode {
  name: "throttleLine";
  children: ThrottleLineCstChildren;
}

export type ThrottleLineCstChildren = {
  Start: IToken[];
  At: IToken[];
  Most: IToken[];
  NumberLit: IToken[];
  Per: IToken[];
  durationUnit: DurationUnitCstNode[];
};

export interface ParametersLineCstNode extends CstNode {
  name: "parametersLine";
  children: ParametersLineCstChildren;
}

export type ParametersLineCstChildren = {
  Parameters: IToken[];
  parameterDecl: (ParameterDeclCstNode)[];
  Comma?: IToken[];
};

export interface ParameterDeclCstNode extends CstNode {
  name: "parameterDecl";
  children: ParameterDeclCstChildren;
}

export type ParameterDeclCstChildren = {
  Word: IToken[];
  ScalarType?: IToken[];
  YesNo?: IToken[];
  Default?: IToken[];
  atom?: AtomCstNode[];
};

export interface GoalLineCstNode extends CstNode {
  name: "goalLine";
  children: GoalLineCstChildren;
}

export type GoalLineCstChildren = {
  Goal: IToken[];
  Name: IToken[];
  StringLit?: IToken[];
  Target: IToken[];
  PercentLit: IToken[];
};

export interface GoalMilestoneCstNode extends CstNode {
  name: "goalMilestone";
  children: GoalMilestoneCstChildren;
}

export type GoalMilestoneCstChildren = {
  milestone: GoalPointCstNode[];
  Within: IToken[];
  duration: DurationCstNode[];
  Of?: IToken[];
  Start?: IToken[];
  anchor?: GoalPointCstNode[];
};

export interface GoalPointCstNode extends CstNode {
  name: "goalPoint";
  children: GoalPointCstChildren;
}

export type GoalPointCstChildren = {
  Event?: IToken[];
  StringLit?: IToken[];
  Task?: IToken[];
  Name?: (IToken)[];
  Done?: IToken[];
  Created?: IToken[];
  Stage?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface CalendarRefLineCstNode extends CstNode {
  name: "calendarRefLine";
  children: CalendarRefLineCstChildren;
}

export type CalendarRefLineCstChildren = {
  Calendar: IToken[];
  Name: IToken[];
};

export interface SendWindowLineCstNode extends CstNode {
  name: "sendWindowLine";
  children: SendWindowLineCstChildren;
}

export type SendWindowLineCstChildren = {
  Send: IToken[];
  Window: IToken[];
  from: IToken[];
  To: IToken[];
  to: IToken[];
};

export interface ExitWhenLineCstNode extends CstNode {
  name: "exitWhenLine";
  children: ExitWhenLineCstChildren;
}

export type ExitWhenLineCstChildren = {
  Exit: IToken[];
  When: IToken[];
  expression: ExpressionCstNode[];
};

export interface StageLineCstNode extends CstNode {
  name: "stageLine";
  children: StageLineCstChildren;
}

export type StageLineCstChildren = {
  Stage: IToken[];
  Name: IToken[];
  StringLit?: IToken[];
};

export interface EmailStepCstNode extends CstNode {
  name: "emailStep";
  children: EmailStepCstChildren;
}

export type EmailStepCstChildren = {
  Email: IToken[];
  recipients: RecipientsCstNode[];
  emailClause?: EmailClauseCstNode[];
  Template: IToken[];
  StringLit: IToken[];
  ignoringPolicy?: IgnoringPolicyCstNode[];
};

export interface IgnoringPolicyCstNode extends CstNode {
  name: "ignoringPolicy";
  children: IgnoringPolicyCstChildren;
}

export type IgnoringPolicyCstChildren = {
  Ignoring: IToken[];
  subject: IToken[];
  what: IToken[];
};

export interface EmailClauseCstNode extends CstNode {
  name: "emailClause";
  children: EmailClauseCstChildren;
}

export type EmailClauseCstChildren = {
  Cc?: IToken[];
  recipients?: (RecipientsCstNode)[];
  Bcc?: IToken[];
  From?: IToken[];
  sender?: SenderCstNode[];
};

export interface RecipientsCstNode extends CstNode {
  name: "recipients";
  children: RecipientsCstChildren;
}

export type RecipientsCstChildren = {
  recipient: (RecipientCstNode)[];
  Comma?: IToken[];
};

export interface SenderCstNode extends CstNode {
  name: "sender";
  children: SenderCstChildren;
}

export type SenderCstChildren = {
  fieldRef?: FieldRefCstNode[];
  StringLit?: IToken[];
};

export interface NotifyStepCstNode extends CstNode {
  name: "notifyStep";
  children: NotifyStepCstChildren;
}

export type NotifyStepCstChildren = {
  Notify: IToken[];
  recipient: RecipientCstNode[];
  StringLit: IToken[];
};

export interface TaskStepCstNode extends CstNode {
  name: "taskStep";
  children: TaskStepCstChildren;
}

export type TaskStepCstChildren = {
  Task: IToken[];
  StringLit: IToken[];
  For: IToken[];
  recipient: RecipientCstNode[];
  Due?: IToken[];
  In?: IToken[];
  duration?: DurationCstNode[];
  As?: IToken[];
  Name?: IToken[];
};

export interface AskLineCstNode extends CstNode {
  name: "askLine";
  children: AskLineCstChildren;
}

export type AskLineCstChildren = {
  Ask: IToken[];
  Word: IToken[];
  StringLit: IToken[];
  fieldType: FieldTypeCstNode[];
  Optional?: IToken[];
  Default?: IToken[];
  atom?: AtomCstNode[];
};

export interface EscalateStepCstNode extends CstNode {
  name: "escalateStep";
  children: EscalateStepCstChildren;
}

export type EscalateStepCstChildren = {
  Escalate: IToken[];
  To: IToken[];
  recipient: RecipientCstNode[];
  Severity?: IToken[];
  SeverityLevel?: IToken[];
  StringLit: IToken[];
};

export interface WaitStepCstNode extends CstNode {
  name: "waitStep";
  children: WaitStepCstChildren;
}

export type WaitStepCstChildren = {
  Wait: IToken[];
  duration?: (DurationCstNode)[];
  Until?: IToken[];
  expression?: ExpressionCstNode[];
  For?: IToken[];
  Any?: IToken[];
  Of?: IToken[];
  waitable?: WaitableCstNode[];
  Up?: IToken[];
  To?: IToken[];
};

export interface WaitableCstNode extends CstNode {
  name: "waitable";
  children: WaitableCstChildren;
}

export type WaitableCstChildren = {
  Event?: IToken[];
  StringLit?: IToken[];
  As?: IToken[];
  Name?: (IToken)[];
  whereClause?: WhereClauseCstNode[];
  Task?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface IfLineCstNode extends CstNode {
  name: "ifLine";
  children: IfLineCstChildren;
}

export type IfLineCstChildren = {
  If: IToken[];
  expression: ExpressionCstNode[];
};

export interface ElseLineCstNode extends CstNode {
  name: "elseLine";
  children: ElseLineCstChildren;
}

export type ElseLineCstChildren = {
  Else: IToken[];
  If?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface RepeatLineCstNode extends CstNode {
  name: "repeatLine";
  children: RepeatLineCstChildren;
}

export type RepeatLineCstChildren = {
  Repeat: IToken[];
  Every: IToken[];
  duration: DurationCstNode[];
  At?: IToken[];
  Most?: IToken[];
  NumberLit?: IToken[];
  Times?: IToken[];
  Until?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface SetStepCstNode extends CstNode {
  name: "setStep";
  children: SetStepCstChildren;
}

export type SetStepCstChildren = {
  Set: IToken[];
  fieldRef: FieldRefCstNode[];
  To: IToken[];
  expression: ExpressionCstNode[];
};

export interface WebhookStepCstNode extends CstNode {
  name: "webhookStep";
  children: WebhookStepCstChildren;
}

export type WebhookStepCstChildren = {
  Webhook: IToken[];
  StringLit: IToken[];
  withList?: WithListCstNode[];
};

export interface WithListCstNode extends CstNode {
  name: "withList";
  children: WithListCstChildren;
}

export type WithListCstChildren = {
  With: IToken[];
  withField: (WithFieldCstNode)[];
  Comma?: IToken[];
};

export interface WithFieldCstNode extends CstNode {
  name: "withField";
  children: WithFieldCstChildren;
}

export type WithFieldCstChildren = {
  Word: IToken[];
  Colon: IToken[];
  expression: ExpressionCstNode[];
};

export interface RunStepCstNode extends CstNode {
  name: "runStep";
  children: RunStepCstChildren;
}

export type RunStepCstChildren = {
  Run: IToken[];
  Playbook: IToken[];
  Name: IToken[];
  withList?: WithListCstNode[];
};

export interface NoteStepCstNode extends CstNode {
  name: "noteStep";
  children: NoteStepCstChildren;
}

export type NoteStepCstChildren = {
  Note: IToken[];
  StringLit: IToken[];
};

export interface StopStepCstNode extends CstNode {
  name: "stopStep";
  children: StopStepCstChildren;
}

export type StopStepCstChildren = {
  Stop: IToken[];
  With?: IToken[];
  Outcome?: IToken[];
  StringLit?: IToken[];
};

export interface AfterLineCstNode extends CstNode {
  name: "afterLine";
  children: AfterLineCstChildren;
}

export type AfterLineCstChildren = {
  After: IToken[];
  duration: DurationCstNode[];
};

export interface OnTimeoutLineCstNode extends CstNode {
  name: "onTimeoutLine";
  children: OnTimeoutLineCstChildren;
}

export type OnTimeoutLineCstChildren = {
  On: IToken[];
  Timeout: IToken[];
};

export interface UnknownLineCstNode extends CstNode {
  name: "unknownLine";
  children: UnknownLineCstChildren;
}

export type UnknownLineCstChildren = {
  NotLineStart: IToken[];
  LineContent?: IToken[];
};

export interface RecipientCstNode extends CstNode {
  name: "recipient";
  children: RecipientCstChildren;
}

export type RecipientCstChildren = {
  fieldRef?: FieldRefCstNode[];
  Role?: IToken[];
  StringLit?: (IToken)[];
};

export interface FieldRefCstNode extends CstNode {
  name: "fieldRef";
  children: FieldRefCstChildren;
}

export type FieldRefCstChildren = {
  Name: IToken[];
  Dot: IToken[];
  Word: IToken[];
};

export interface DurationCstNode extends CstNode {
  name: "duration";
  children: DurationCstChildren;
}

export type DurationCstChildren = {
  NumberLit: IToken[];
  durationUnit: DurationUnitCstNode[];
};

export interface DurationUnitCstNode extends CstNode {
  name: "durationUnit";
  children: DurationUnitCstChildren;
}

export type DurationUnitCstChildren = {
  Minute?: IToken[];
  Hour?: (IToken)[];
  Day?: (IToken)[];
  Week?: IToken[];
  Month?: IToken[];
  Quarter?: IToken[];
  Year?: IToken[];
  Business?: IToken[];
};

export interface DirectionCstNode extends CstNode {
  name: "direction";
  children: DirectionCstChildren;
}

export type DirectionCstChildren = {
  Before?: IToken[];
  After?: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  andExpr: (AndExprCstNode)[];
  Or?: IToken[];
};

export interface AndExprCstNode extends CstNode {
  name: "andExpr";
  children: AndExprCstChildren;
}

export type AndExprCstChildren = {
  notExpr: (NotExprCstNode)[];
  And?: IToken[];
};

export interface NotExprCstNode extends CstNode {
  name: "notExpr";
  children: NotExprCstChildren;
}

export type NotExprCstChildren = {
  Not?: IToken[];
  comparison: ComparisonCstNode[];
};

export interface ComparisonCstNode extends CstNode {
  name: "comparison";
  children: ComparisonCstChildren;
}

export type ComparisonCstChildren = {
  left: (PrimaryCstNode)[];
  leftOp?: IToken[];
  Is?: IToken[];
  Not?: (IToken)[];
  Empty?: IToken[];
  right?: (PrimaryCstNode)[];
  rightOp?: (IToken)[];
  compareOp?: CompareOpCstNode[];
  In?: IToken[];
  list?: ListCstNode[];
};

export interface CompareOpCstNode extends CstNode {
  name: "compareOp";
  children: CompareOpCstChildren;
}

export type CompareOpCstChildren = {
  Equals?: IToken[];
  NotEquals?: IToken[];
  LessEquals?: IToken[];
  Less?: IToken[];
  GreaterEquals?: IToken[];
  Greater?: IToken[];
};

export interface ListCstNode extends CstNode {
  name: "list";
  children: ListCstChildren;
}

export type ListCstChildren = {
  LBracket: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  prefix?: PrefixCstNode[];
  atom: AtomCstNode[];
};

export interface PrefixCstNode extends CstNode {
  name: "prefix";
  children: PrefixCstChildren;
}

export type PrefixCstChildren = {
  Day?: (IToken)[];
  Until?: IToken[];
  Since?: (IToken)[];
  Business?: IToken[];
  duration?: DurationCstNode[];
  direction?: DirectionCstNode[];
};

export interface AtomCstNode extends CstNode {
  name: "atom";
  children: AtomCstChildren;
}

export type AtomCstChildren = {
  reference?: ReferenceCstNode[];
  StringLit?: IToken[];
  NumberLit?: IToken[];
  durationUnit?: DurationUnitCstNode[];
  PercentLit?: IToken[];
  DateLit?: IToken[];
  Yes?: IToken[];
  No?: IToken[];
  True?: IToken[];
  False?: IToken[];
  Today?: IToken[];
  LParen?: IToken[];
  expression?: ExpressionCstNode[];
  RParen?: IToken[];
};

export interface ReferenceCstNode extends CstNode {
  name: "reference";
  children: ReferenceCstChildren;
}

export type ReferenceCstChildren = {
  Name: IToken[];
  Dot?: IToken[];
  Word?: IToken[];
};
