import { CronExpressionParser } from 'cron-parser';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { JsonDocument } from '../json/json-document';
import type { FlowParts } from './flow-parts';

/**
 * Checks the trigger: a webhook source the config declares and an event
 * pattern whose `*` ends it; or a cron schedule of 5 or 6 fields that
 * cron-parser accepts, in an IANA time zone.
 */
export function checkTrigger(
  parts: FlowParts,
  sources: ReadonlySet<string> | undefined,
  document: JsonDocument,
): Diagnostic[] {
  const trigger = parts.trigger;
  if (!trigger) return [];
  const diagnostics: Diagnostic[] = [];
  if ('source' in trigger) {
    if (sources && !sources.has(trigger.source)) {
      const hint = sources.size ? didYouMean(trigger.source, sources) : '; it declares no sources';
      diagnostics.push(
        document.diagnostic(
          'TRIGGER_UNKNOWN_SOURCE',
          ['trigger', 'source'],
          `no source "${trigger.source}" in baton.config.json${hint}`,
        ),
      );
    }
    const star = trigger.event.indexOf('*');
    if (star !== -1 && star !== trigger.event.length - 1) {
      diagnostics.push(
        document.diagnostic(
          'TRIGGER_BAD_EVENT',
          ['trigger', 'event'],
          `"*" may only end the pattern, as in "order.*"`,
        ),
      );
    }
    return diagnostics;
  }
  const cron = cronProblem(trigger.schedule);
  if (cron) diagnostics.push(document.diagnostic('TRIGGER_BAD_CRON', ['trigger', 'schedule'], cron));
  if (trigger.timezone !== undefined && !isTimeZone(trigger.timezone)) {
    diagnostics.push(
      document.diagnostic(
        'TRIGGER_BAD_TIMEZONE',
        ['trigger', 'timezone'],
        `"${trigger.timezone}" is not an IANA time zone such as "Europe/Paris" or "UTC"`,
      ),
    );
  }
  return diagnostics;
}

function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  // cron-parser fills in missing fields ("* * *" passes); a schedule must say every field.
  if (!expression.trim().startsWith('@') && fields.length !== 5 && fields.length !== 6) {
    return `"${expression}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron expression has 5 (minute hour day month weekday) or 6 (with seconds first)`;
  }
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return `"${expression}" is not a valid cron expression: ${(error as Error).message}`;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
