import type { SandboxSystem } from '../system';
import { bamboohrSystem } from './bamboohr';
import { easypostSystem } from './easypost';
import { hubspotSystem } from './hubspot';
import { inventorySystem } from './inventory';
import { mailboxSystem } from './mailbox';
import { oauthSystem } from './oauth';
import { opsSystem } from './ops';
import { scimSystem } from './scim';
import { shippoSystem } from './shippo';
import { slackSystem } from './slack';
import { stripeSystem } from './stripe';

/** Every emulated system, in the order the sandbox lists them. */
export const systems: SandboxSystem[] = [
  bamboohrSystem,
  scimSystem,
  hubspotSystem,
  inventorySystem,
  stripeSystem,
  easypostSystem,
  shippoSystem,
  slackSystem,
  mailboxSystem,
  opsSystem,
  oauthSystem,
];
