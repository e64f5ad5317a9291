import type { InvalidFlowCase } from './invalid-flow-case';

/** Flows that call what the connectors do not have, or misuse triggers, expressions and settings. */
export const actionAndTriggerCases: InvalidFlowCase[] = [
  {
    name: 'an unknown connector instance',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "paymnt.charge", "input": { "amount": 5, "currency": "usd" } }]
}`,
    expected: [
      '3:36 /steps/0/action: no connector instance "paymnt" in baton.config.json; did you mean "payment"? [STEP_UNKNOWN_CONNECTOR]',
    ],
  },
  {
    name: 'an unknown action, close to a real one',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "payment.chrage", "input": { "amount": 5, "currency": "usd" } }]
}`,
    expected: [
      '3:36 /steps/0/action: connector "payment" (test-payment) has no action "chrage"; did you mean "charge"? [STEP_UNKNOWN_ACTION]',
    ],
  },
  {
    name: 'an unknown action, far from any',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "payment.capture", "input": { "amount": 5 } }]
}`,
    expected: [
      '3:36 /steps/0/action: connector "payment" (test-payment) has no action "capture"; it has "charge" and "refund" [STEP_UNKNOWN_ACTION]',
    ],
  },
  {
    name: 'fallback and compensate actions that do not exist',
    text: `{
  "id": "f",
  "steps": [
    { "id": "pay", "action": "payment.charge", "input": { "amount": 5, "currency": "usd" },
      "fallback": [{ "action": "payment-backup.charge" }, { "action": "backup.charge" }],
      "compensate": { "action": "payment.refnud", "input": { "charge": "{{ steps.pay.output.id }}" } } }
  ]
}`,
    expected: [
      '5:71 /steps/0/fallback/1/action: no connector instance "backup" in baton.config.json [STEP_UNKNOWN_CONNECTOR]',
      '6:33 /steps/0/compensate/action: connector "payment" (test-payment) has no action "refnud"; did you mean "refund"? [STEP_UNKNOWN_ACTION]',
    ],
  },
  {
    name: 'input missing, mistyped, out of its values, and unknown',
    text: `{
  "id": "f",
  "steps": [
    { "id": "stock", "action": "inventory.reserve", "input": { "sku": 42 } },
    { "id": "pay", "action": "payment.charge", "input": { "amount": "5", "currency": "gbp", "memo": "x" } }
  ]
}`,
    expected: [
      '4:62 /steps/0/input/qty: required by inventory.reserve [STEP_INPUT_MISSING]',
      '4:71 /steps/0/input/sku: inventory.reserve expects a string, got the number 42 [STEP_INPUT_TYPE]',
      '5:69 /steps/1/input/amount: payment.charge expects a number, got the string "5" [STEP_INPUT_TYPE]',
      '5:86 /steps/1/input/currency: payment.charge expects one of "usd", "eur", got the string "gbp" [STEP_INPUT_VALUE]',
      '5:93 /steps/1/input/memo: payment.charge has no field "memo" [STEP_INPUT_UNKNOWN_FIELD]',
    ],
  },
  {
    name: 'text around a template where a number is expected',
    text: `{
  "id": "f",
  "steps": [{ "id": "stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": "{{ event.data.qty }} units" } }]
}`,
    expected: [
      '3:91 /steps/0/input/qty: inventory.reserve expects an integer, got a text template (always a string) [STEP_INPUT_TYPE]',
    ],
  },
  {
    name: "a fallback whose action needs more than the step's input",
    text: `{
  "id": "f",
  "steps": [
    { "id": "refund", "action": "payment.refund", "input": { "charge": "ch_1" },
      "fallback": [{ "action": "payment-backup.charge" }] }
  ]
}`,
    expected: [
      "4:60 /steps/0/input/amount: required by payment-backup.charge (a fallback, which gets the step's input) [STEP_INPUT_MISSING]",
    ],
  },
  {
    name: 'an unknown source and a star inside the event pattern',
    text: `{
  "id": "f",
  "trigger": { "source": "shpo", "event": "order.*.created" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:26 /trigger/source: no source "shpo" in baton.config.json; did you mean "shop"? [TRIGGER_UNKNOWN_SOURCE]',
      '3:43 /trigger/event: "*" may only end the pattern, as in "order.*" [TRIGGER_BAD_EVENT]',
    ],
  },
  {
    name: 'an orderKey that does not parse',
    text: `{
  "id": "f",
  "trigger": { "source": "shop", "event": "order.created", "orderKey": "{{ event.data.( }}" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:72 /trigger/orderKey: invalid expression "{{ event.data.( }}": Expected ")" before end of expression (at character 12) [EXPRESSION_SYNTAX]',
    ],
  },
  {
    name: 'an orderKey that reads a step',
    text: `{
  "id": "f",
  "trigger": { "source": "shop", "event": "order.created", "orderKey": "{{ steps.a.output.id }}" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:72 /trigger/orderKey: "steps" cannot be read in the trigger\'s orderKey: no step has run yet [REF_UNAVAILABLE]',
    ],
  },
  {
    name: 'a cron value out of range and an unknown time zone',
    text: `{
  "id": "f",
  "trigger": { "schedule": "0 25 * * *", "timezone": "Europe/Pariss" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:28 /trigger/schedule: "0 25 * * *" is not a valid cron expression: Constraint error, got value 25 expected range 0-23 [TRIGGER_BAD_CRON]',
      '3:54 /trigger/timezone: "Europe/Pariss" is not an IANA time zone such as "Europe/Paris" or "UTC" [TRIGGER_BAD_TIMEZONE]',
    ],
  },
  {
    name: 'a cron expression with three fields',
    text: `{
  "id": "f",
  "trigger": { "schedule": "0 2 *" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:28 /trigger/schedule: "0 2 *" has 3 fields; a cron expression has 5 (minute hour day month weekday) or 6 (with seconds first) [TRIGGER_BAD_CRON]',
    ],
  },
  {
    name: 'expressions that do not parse, are empty or are not closed',
    text: `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "input": { "text": "{{ event.data. }}" } },
    { "id": "b", "action": "notify.send", "input": { "text": "{{ }}" } },
    { "id": "c", "action": "notify.send", "input": { "text": "Hello {{ event.data.name" } }
  ]
}`,
    expected: [
      '4:62 /steps/0/input/text: invalid expression "{{ event.data. }}": Unexpected end of expression (at character 11) [EXPRESSION_SYNTAX]',
      '5:62 /steps/1/input/text: empty expression "{{ }}" [EXPRESSION_EMPTY]',
      '6:62 /steps/2/input/text: invalid expression "Hello {{ event.data.name": "{{" at character 7 has no matching "}}" [EXPRESSION_SYNTAX]',
    ],
  },
  {
    name: '$eval',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "{{ $eval(event.data.code) }}" } }]
}`,
    expected: [
      '3:70 /steps/0/input/text: $eval is not available in Baton expressions [EXPRESSION_FORBIDDEN]',
    ],
  },
  {
    name: 'a regular expression that needs backtracking',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "{{ $replace(event.data.text, /(a)\\\\1/, 'b') }}" } }]
}`,
    expected: [
      "3:70 /steps/0/input/text: \"{{ $replace(event.data.text, /(a)\\1/, 'b') }}\": the regular expression /(a)\\1/ uses a feature Baton's linear-time regex engine (RE2) does not support: invalid escape sequence: `\\1` [EXPRESSION_REGEX_UNSUPPORTED]",
    ],
  },
  {
    name: 'conditions that are always true',
    text: `{
  "id": "f",
  "trigger": { "source": "shop", "event": "order.created", "if": "event.data.total > 0" },
  "steps": [{ "id": "a", "action": "notify.send", "if": "{{ event.data.a }} and {{ event.data.b }}", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:66 /trigger/if: a plain string is always true; write the condition as an expression: "{{ event.data.total > 0 }}" [CONDITION_NOT_EXPRESSION]',
      '4:57 /steps/0/if: must be exactly one {{ }} expression; text around it makes a non-empty string, which is always true [CONDITION_NOT_EXPRESSION]',
    ],
  },
  {
    name: 'a forEach that is not one expression, and concurrency without forEach',
    text: `{
  "id": "f",
  "steps": [
    { "id": "ship", "action": "shipping.create-shipment", "forEach": "event.data.items", "input": { "sku": "{{ item.sku }}" } },
    { "id": "tell", "action": "notify.send", "concurrency": 5, "input": { "text": "shipped" } }
  ]
}`,
    expected: [
      '4:70 /steps/0/forEach: must be a list or exactly one {{ }} expression that gives a list, such as "{{ event.data.items }}" [FOREACH_NOT_EXPRESSION]',
      '5:61 /steps/1/concurrency: concurrency applies to forEach steps only; add a forEach or remove it [STEP_CONCURRENCY_WITHOUT_FOREACH]',
    ],
  },
  {
    name: 'a zero timeout and retry intervals in the wrong order',
    text: `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "timeout": "0s", "input": { "text": "hi" },
      "retry": { "initialInterval": "1m", "maximumInterval": "10s" } }
  ]
}`,
    expected: [
      '4:54 /steps/0/timeout: must be longer than 0 [DURATION_INVALID]',
      '5:62 /steps/0/retry/maximumInterval: must not be shorter than initialInterval (1m) [DURATION_INVALID]',
    ],
  },
  {
    name: 'a delay until something that is not a date',
    text: `{
  "id": "f",
  "steps": [{ "id": "wait", "delay": { "until": "next monday" } }]
}`,
    expected: [
      '3:49 /steps/0/delay/until: "next monday" is not a date-time such as "2030-01-31T09:00:00Z" nor one {{ }} expression [DELAY_BAD_UNTIL]',
    ],
  },
];
