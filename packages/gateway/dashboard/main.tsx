/**
 * The operator dashboard's browser entry: bundled with its CSS into
 * `dist/dashboard/app.js` and `app.css` by the package build, served by the
 * gateway under `/dashboard`.
 */
import { render } from 'preact';
import { App } from './app';
import { live } from './live/live-connection';
import './styles/app.css';

live.start();
render(<App />, document.getElementById('app')!);
