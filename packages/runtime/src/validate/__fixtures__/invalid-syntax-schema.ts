import type { InvalidFlowCase } from './invalid-flow-case';

/** Flow files that are not JSON, or do not match the flow schema. */
export const syntaxAndSchemaCases: InvalidFlowCase[] = [
  {
    name: 'a trailing comma',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" }, }]
}`,
    expected: ['3:76 /steps/0/input: trailing commas are not allowed in JSON [FLOW_JSON_SYNTAX]'],
  },
  {
    name: 'a comment',
    text: `{
  "id": "f", // the id
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: ['2:14 comments are not allowed in JSON [FLOW_JSON_SYNTAX]'],
  },
  {
    name: 'two missing commas, each reported',
    text: `{
  "id": "f"
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }],
  "output": [1 2]
}`,
    expected: [
      '3:3 /steps: expected "," between values [FLOW_JSON_SYNTAX]',
      '4:16 /output/0: expected "," between values [FLOW_JSON_SYNTAX]',
    ],
  },
  {
    name: 'an unterminated string',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi } }]
}`,
    expected: [
      '3:70 /steps/0/input/text: unterminated string [FLOW_JSON_SYNTAX]',
      '4:2 /steps/0/input: expected "}" to close the object [FLOW_JSON_SYNTAX]',
    ],
  },
  {
    name: 'an empty file',
    text: '\n',
    expected: ['1:1 the file is empty; it must hold one JSON object [FLOW_JSON_SYNTAX]'],
  },
  {
    name: 'a property given twice',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }],
  "id": "g"
}`,
    expected: [
      '4:3 /id: this property is given twice in the same object; remove one (JSON keeps only the last) [FLOW_DUPLICATE_KEY]',
    ],
  },
  {
    name: 'an array instead of a flow',
    text: `[{ "id": "f" }]`,
    expected: ['1:1 expected an object, got an array [FLOW_SCHEMA]'],
  },
  {
    name: 'no steps, and an id that is not kebab-case',
    text: `{
  "id": "Order Flow",
  "steps": []
}`,
    expected: [
      '2:9 /id: must be kebab-case, such as "order-fulfillment" [FLOW_SCHEMA]',
      '3:12 /steps: must have at least 1 item [FLOW_SCHEMA]',
    ],
  },
  {
    name: 'a misspelt property',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "actoin": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:13 /steps/0/action: required [FLOW_SCHEMA]',
      '3:26 /steps/0/actoin: unknown property; did you mean "action"? [FLOW_SCHEMA]',
    ],
  },
  {
    name: 'bad durations',
    text: `{
  "id": "f",
  "timeout": "5 minutes",
  "steps": [{ "id": "a", "action": "notify.send", "timeout": "10", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:14 /timeout: must be a duration such as "250ms", "10s", "5m", "1h" or "2d" [DURATION_INVALID]',
      '4:62 /steps/0/timeout: must be a duration such as "250ms", "10s", "5m", "1h" or "2d" [DURATION_INVALID]',
    ],
  },
  {
    name: 'retry values out of range, with a misspelt retry field',
    text: `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "input": { "text": "hi" },
      "retry": { "maxAttempts": 0, "backoffCoefficient": 20, "maxInterval": "1m" } }
  ]
}`,
    expected: [
      '5:33 /steps/0/retry/maxAttempts: must be at least 1 [FLOW_SCHEMA]',
      '5:58 /steps/0/retry/backoffCoefficient: must be at most 10 [FLOW_SCHEMA]',
      '5:62 /steps/0/retry/maxInterval: unknown property [FLOW_SCHEMA]',
    ],
  },
  {
    name: 'a condition that is neither a string nor a boolean',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "if": 1, "input": { "text": "hi" } }]
}`,
    expected: ['3:57 /steps/0/if: expected a string or a boolean, got the number 1 [FLOW_SCHEMA]'],
  },
  {
    name: 'delay steps with a bad duration and a bad until',
    text: `{
  "id": "f",
  "steps": [
    { "id": "wait", "delay": "1 day" },
    { "id": "later", "delay": { "untill": "2030-01-01T00:00:00Z" } }
  ]
}`,
    expected: [
      '4:30 /steps/0/delay: must be a duration such as "250ms", "10s", "5m", "1h" or "2d" [DURATION_INVALID]',
      '5:31 /steps/1/delay/until: required [FLOW_SCHEMA]',
      '5:33 /steps/1/delay/untill: unknown property; did you mean "until"? [FLOW_SCHEMA]',
    ],
  },
  {
    name: 'a webhook trigger without an event, and a bad respond mode',
    text: `{
  "id": "f",
  "trigger": { "source": "shop", "respond": "later" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:14 /trigger/event: required [FLOW_SCHEMA]',
      '3:45 /trigger/respond: must be one of "async", "sync" [FLOW_SCHEMA]',
    ],
  },
  {
    name: 'an onFailure step with needs',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }],
  "onFailure": [{ "id": "page", "action": "notify.send", "needs": ["a"], "input": { "text": "down" } }]
}`,
    expected: ['4:58 /onFailure/0/needs: unknown property [FLOW_SCHEMA]'],
  },
];
