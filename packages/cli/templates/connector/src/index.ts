import { defineConnector } from '@baton/sdk';
import { createItem } from './actions/create-item';
import { config } from './config';

/** The __TITLE__ connector. Use it in `baton.config.json` as `"use": "__PACKAGE__"`. */
export default defineConnector({
  name: '__NAME__',
  version: '0.1.0',
  description: 'Baton connector for __TITLE__.',
  config,
  http: (cfg) => ({ baseURL: cfg.baseUrl, headers: { authorization: `Bearer ${cfg.apiKey}` } }),
  actions: {
    'create-item': createItem,
  },
});
