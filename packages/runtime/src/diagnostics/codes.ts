/**
 * Every code a load-time diagnostic can carry, with what it means. The
 * troubleshooting guide is checked against this list, so a new code needs
 * a line here and a section there.
 */
export const DIAGNOSTIC_CODES = {
  CONFIG_JSON_SYNTAX: 'baton.config.json is not valid JSON (comments and trailing commas are not allowed).',
  CONFIG_DUPLICATE_KEY:
    'An object in baton.config.json has the same property twice; JSON keeps only the last.',
  CONFIG_SCHEMA: 'baton.config.json does not match the config schema (missing, unknown or mistyped field).',
  CONFIG_FLOWS_NOT_FOUND: 'The `flows` folder named in baton.config.json does not exist.',
  CONFIG_ENV_MISSING:
    'A `{ "$env": "NAME" }` value names a variable that is not set (checked at start-up only).',
  CONNECTOR_LOAD_FAILED:
    "The module named by a connector instance's `use` could not be imported or is not a connector.",
  CONNECTOR_CONFIG_INVALID:
    "A connector instance's literal `config` does not match the connector's config schema.",
  FLOW_READ_FAILED: 'A flow file could not be read.',
  FLOW_JSON_SYNTAX: 'A flow file is not valid JSON (comments and trailing commas are not allowed).',
  FLOW_DUPLICATE_KEY: 'An object in a flow file has the same property twice; JSON keeps only the last.',
  FLOW_SCHEMA: 'A flow file does not match the flow schema (missing, unknown or mistyped field).',
  FLOW_DUPLICATE_ID: 'Two flow files have the same `id`.',
  FLOW_CYCLE: 'Steps wait for each other in a circle through `needs` (or the implicit previous step).',
  DURATION_INVALID:
    'A duration is not a number and a unit such as "250ms", "10s", "5m", "1h", or is zero or out of order.',
  STEP_DUPLICATE_ID: 'Two steps (onFailure steps included) have the same `id`.',
  STEP_NEEDS_UNKNOWN: '`needs` names a step that does not exist in the flow.',
  STEP_UNKNOWN_CONNECTOR: 'An `action` names a connector instance that baton.config.json does not declare.',
  STEP_UNKNOWN_ACTION: "An `action` names an action that the instance's connector does not have.",
  STEP_INSTANCE_NOT_RUNNING:
    'A reload: an `action` names a connector instance (or an action of it) the running process did not load at start-up; restart to load it.',
  STEP_INPUT_MISSING: "A field the action's input schema requires is not given.",
  STEP_INPUT_TYPE: "A literal input value has a type the action's input schema does not accept.",
  STEP_INPUT_VALUE: "A literal input value is not one of the values the action's input schema allows.",
  STEP_INPUT_UNKNOWN_FIELD:
    "An input field that the action's input schema does not have (the action never sees it).",
  STEP_CONCURRENCY_WITHOUT_FOREACH: '`concurrency` is set on a step that has no `forEach`.',
  CONDITION_NOT_EXPRESSION:
    'An `if` is a string that is not exactly one `{{ }}` expression, so it is always true.',
  FOREACH_NOT_EXPRESSION: '`forEach` is a string that is not exactly one `{{ }}` expression.',
  DELAY_BAD_UNTIL: "A delay's `until` is neither a date-time nor one `{{ }}` expression.",
  EXPRESSION_SYNTAX: 'A `{{ }}` expression is not valid JSONata, or a `{{` is not closed.',
  EXPRESSION_EMPTY: 'A `{{ }}` holds no expression.',
  EXPRESSION_FORBIDDEN: 'An expression calls a function Baton does not offer (`$eval`).',
  EXPRESSION_REGEX_UNSUPPORTED:
    'A regular expression uses a feature the linear-time engine (RE2) does not support (a backreference, a lookahead).',
  REF_UNKNOWN_ROOT:
    'An expression reads a name that does not exist: expressions see event, steps, item, index and run.',
  REF_UNAVAILABLE:
    'An expression reads `steps` or `item` where they do not exist (trigger `if`, outside forEach).',
  REF_UNKNOWN_STEP: '`steps.<id>` names a step that does not exist (ids with "-" need backticks).',
  REF_NOT_A_DEPENDENCY:
    '`steps.<id>` names a step that may not have run yet: it is not in `needs`, directly or not.',
  REF_UNKNOWN_FIELD: '`steps.<id>.<field>` reads a field other than output, status and error.',
  REF_OUTPUT_PATH:
    "`steps.<id>.output.<path>` reads a field that the action's output schema says cannot exist.",
  TRIGGER_UNKNOWN_SOURCE: '`trigger.source` is not a source declared in baton.config.json.',
  WAIT_UNKNOWN_SOURCE:
    'A warning: `wait.source` is not a source declared in baton.config.json, so no webhook can end the wait.',
  EGRESS_NOT_ALLOWED:
    "A warning: a connector config URL points at a loopback or private address that the instance's `egress.allow` does not list, so every call would fail with EGRESS_BLOCKED.",
  TRIGGER_BAD_EVENT: '`trigger.event` has a `*` that is not the whole pattern or its last segment.',
  TRIGGER_BAD_CRON: '`trigger.schedule` is not a valid cron expression of 5 or 6 fields.',
  TRIGGER_BAD_TIMEZONE: '`trigger.timezone` is not an IANA time zone such as "Europe/Paris".',
} as const;

/** A stable diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
