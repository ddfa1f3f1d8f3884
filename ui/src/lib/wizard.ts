// Pure helpers for the wizard screens: what to show, given the core's readiness.
import type { Issue, ProviderSummary, Readiness, Step, StepId } from '$lib/ipc';

/** Providers of `kind` whose name or an alias contains every word of `query`. */
export function findProviders(
  providers: ProviderSummary[],
  kind: ProviderSummary['kind'],
  query: string,
): ProviderSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return providers.filter((p) => {
    if (p.kind !== kind) return false;
    const haystack = [p.name, ...p.aliases].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** The issue readiness reports for each field, by field ID (none before a draft is open). */
export function issuesByField(readiness: Readiness | undefined): Map<string, Issue> {
  return new Map((readiness?.steps ?? []).flatMap((s) => s.issues.map((i) => [i.fieldId, i] as const)));
}

/** The fields of `step` that are asked right now (their `when` holds). */
export function visibleFields(step: Step, readiness: Readiness) {
  const hidden = new Set(readiness.hidden);
  return step.fields.filter((f) => !hidden.has(f.id));
}

export type StepState = 'complete' | 'incomplete' | 'invalid' | 'info';

/** How the step list shows a step: done, something missing, something wrong, or nothing to fill. */
export function stepState(readiness: Readiness, step: StepId): StepState {
  const r = readiness.steps.find((s) => s.step === step);
  if (!r || (r.required === 0 && r.issues.length === 0)) return 'info';
  if (r.issues.some((i) => i.kind === 'invalid')) return 'invalid';
  return r.issues.length === 0 ? 'complete' : 'incomplete';
}

/** The DOM id of a field's first focusable control. */
export function controlId(fieldId: string): string {
  return `field-${fieldId}`;
}
