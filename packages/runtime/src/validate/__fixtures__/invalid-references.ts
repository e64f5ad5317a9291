import type { InvalidFlowCase } from './invalid-flow-case';

/** Flows whose steps wait for, or read, what does not exist or may not have run. */
export const referenceCases: InvalidFlowCase[] = [
  {
    name: 'two steps with the same id',
    text: `{
  "id": "f",
  "steps": [
    { "id": "send", "action": "notify.send", "input": { "text": "one" } },
    { "id": "send", "action": "notify.send", "input": { "text": "two" } }
  ]
}`,
    expected: ['5:13 /steps/1/id: step id "send" is already used by /steps/0 [STEP_DUPLICATE_ID]'],
  },
  {
    name: 'needs naming a missing step and an onFailure step',
    text: `{
  "id": "f",
  "steps": [
    { "id": "charge", "action": "notify.send", "input": { "text": "one" } },
    { "id": "ship", "action": "notify.send", "needs": ["chrage", "page"], "input": { "text": "two" } }
  ],
  "onFailure": [{ "id": "page", "action": "notify.send", "input": { "text": "down" } }]
}`,
    expected: [
      '5:56 /steps/1/needs/0: no step "chrage" in this flow; did you mean "charge"? [STEP_NEEDS_UNKNOWN]',
      '5:66 /steps/1/needs/1: "page" is an onFailure step; steps cannot wait for it [STEP_NEEDS_UNKNOWN]',
    ],
  },
  {
    name: 'a cycle through needs',
    text: `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "needs": ["b"], "input": { "text": "a" } },
    { "id": "b", "action": "notify.send", "needs": ["a"], "input": { "text": "b" } }
  ]
}`,
    expected: [
      '4:52 /steps/0/needs: dependency cycle: a → b → a; each waits for the next, so none can start [FLOW_CYCLE]',
    ],
  },
  {
    name: 'a cycle through the implicit previous step',
    text: `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "needs": ["c"], "input": { "text": "a" } },
    { "id": "b", "action": "notify.send", "input": { "text": "b" } },
    { "id": "c", "action": "notify.send", "input": { "text": "c" } }
  ]
}`,
    expected: [
      '4:52 /steps/0/needs: dependency cycle: a → c → b → a; each waits for the next, so none can start ("c" and "b" have no "needs", so each waits for the step before it) [FLOW_CYCLE]',
    ],
  },
  {
    name: 'a step that needs itself',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "needs": ["a"], "input": { "text": "a" } }]
}`,
    expected: [
      '3:60 /steps/0/needs: dependency cycle: a → a; each waits for the next, so none can start [FLOW_CYCLE]',
    ],
  },
  {
    name: 'a reference to a step that does not exist',
    text: `{
  "id": "f",
  "steps": [
    { "id": "charge", "action": "payment.charge", "input": { "amount": 5, "currency": "usd" } },
    { "id": "tell", "action": "notify.send", "input": { "text": "{{ steps.chrage.output.id }}" } }
  ]
}`,
    expected: [
      '5:65 /steps/1/input/text: steps.chrage: no step "chrage" in this flow; did you mean "charge"? [REF_UNKNOWN_STEP]',
    ],
  },
  {
    name: 'a hyphenated step id without backticks',
    text: `{
  "id": "f",
  "steps": [
    { "id": "low-stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": 1 } },
    { "id": "tell", "action": "notify.send", "if": "{{ steps.low-stock.output.remaining < 5 }}", "input": { "text": "low" } }
  ]
}`,
    expected: [
      '5:52 /steps/1/if: steps.low: no step "low" in this flow; JSONata reads "-" as minus, so write steps.`low-stock` for the step "low-stock" [REF_UNKNOWN_STEP]',
    ],
  },
  {
    name: 'a reference to a step that runs in parallel',
    text: `{
  "id": "f",
  "steps": [
    { "id": "stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": 1 } },
    { "id": "tell", "action": "notify.send", "needs": [], "input": { "text": "{{ steps.stock.output.reservationId }}" } }
  ]
}`,
    expected: [
      '5:78 /steps/1/input/text: steps.stock: "tell" does not wait for "stock", so "stock" may not have run yet; add "stock" to the needs of "tell" [REF_NOT_A_DEPENDENCY]',
    ],
  },
  {
    name: 'a step reading its own output',
    text: `{
  "id": "f",
  "steps": [{ "id": "tell", "action": "notify.send", "input": { "text": "{{ steps.tell.output.ts }}" } }]
}`,
    expected: [
      '3:73 /steps/0/input/text: steps.tell: a step cannot read its own result (only its compensate can) [REF_NOT_A_DEPENDENCY]',
    ],
  },
  {
    name: 'a step field other than output, status and error',
    text: `{
  "id": "f",
  "steps": [
    { "id": "stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": 1 } },
    { "id": "tell", "action": "notify.send", "input": { "text": "{{ steps.stock.outptu.remaining }}" } }
  ]
}`,
    expected: [
      '5:65 /steps/1/input/text: steps.stock.outptu: a step has "output", "status" and "error"; did you mean "output"? [REF_UNKNOWN_FIELD]',
    ],
  },
  {
    name: 'an output field the action never returns',
    text: `{
  "id": "f",
  "steps": [
    { "id": "stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": 1 } },
    { "id": "tell", "action": "notify.send", "if": "{{ steps.stock.output.remainng < 5 }}", "input": { "text": "low" } }
  ]
}`,
    expected: [
      '5:52 /steps/1/if: steps.stock.output has no field "remainng" in the output of inventory.reserve; did you mean "remaining"? [REF_OUTPUT_PATH]',
    ],
  },
  {
    name: 'a field of a string output',
    text: `{
  "id": "f",
  "steps": [
    { "id": "stock", "action": "inventory.reserve", "input": { "sku": "a", "qty": 1 } },
    { "id": "tell", "action": "notify.send", "input": { "text": "{{ steps.stock.output.reservationId.value }}" } }
  ]
}`,
    expected: [
      '5:65 /steps/1/input/text: steps.stock.output.reservationId is a string, so it has no field "value" [REF_OUTPUT_PATH]',
    ],
  },
  {
    name: 'item outside a forEach step',
    text: `{
  "id": "f",
  "steps": [{ "id": "ship", "action": "shipping.create-shipment", "input": { "sku": "{{ item.sku }}" } }]
}`,
    expected: [
      '3:85 /steps/0/input/sku: "item" is only set in the input of a step with forEach (and of its fallbacks) [REF_UNAVAILABLE]',
    ],
  },
  {
    name: "steps in the trigger's condition",
    text: `{
  "id": "f",
  "trigger": { "source": "shop", "event": "order.created", "if": "{{ steps.a.status = 'succeeded' }}" },
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }]
}`,
    expected: [
      '3:66 /trigger/if: "steps" cannot be read in the trigger\'s if: no step has run yet [REF_UNAVAILABLE]',
    ],
  },
  {
    name: 'a name that is not in the scope',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "{{ evnt.data.name }}" } }]
}`,
    expected: [
      '3:70 /steps/0/input/text: "evnt" is not defined; expressions read "event", "steps", "item", "index" and "run"; did you mean "event"? [REF_UNKNOWN_ROOT]',
    ],
  },
  {
    name: 'a hyphenated payload field without backticks',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "{{ event.data.order-id }}" } }]
}`,
    expected: [
      '3:70 /steps/0/input/text: "id" is not defined; JSONata reads "-" as minus, so write a name with "-" in backticks: `order-id` [REF_UNKNOWN_ROOT]',
    ],
  },
  {
    name: 'an onFailure step reading one that runs after it',
    text: `{
  "id": "f",
  "steps": [{ "id": "a", "action": "notify.send", "input": { "text": "hi" } }],
  "onFailure": [
    { "id": "first", "action": "notify.send", "input": { "text": "{{ steps.second.status }}" } },
    { "id": "second", "action": "notify.send", "input": { "text": "down" } }
  ]
}`,
    expected: [
      '5:66 /onFailure/0/input/text: steps.second: the onFailure step "second" runs after this one [REF_NOT_A_DEPENDENCY]',
    ],
  },
];
