// One open draft as the wizard holds it: the view the core returned, the values on screen, their
// autosave, and what the CSM has touched. Every response from the core is applied here, so the
// window shows what the core says (its readiness, its status) and never works either out itself.
import { Autosaver, type Answer } from '$lib/autosave.svelte';
import {
  FIELD,
  errorText,
  ipc,
  type AnswerValue,
  type DraftId,
  type DraftStatus,
  type DraftSummary,
  type DraftView,
  type Issue,
  type MeetingView,
  type Saved,
  type StepId,
  type Submission,
} from '$lib/ipc';
import { issuesByField } from '$lib/wizard';

export class DraftState {
  readonly id: DraftId;
  view = $state<DraftView | null>(null);
  values = $state<Record<string, AnswerValue | undefined>>({});
  // Messages about missing answers wait until the CSM has tried to leave the step; a value that
  // is wrong shows as soon as the field was touched.
  touched = $state<Record<string, boolean>>({});
  attempted = $state<Partial<Record<StepId, boolean>>>({});
  /** The draft's submission to Jira, once it has one, and why it could not be read. */
  submission = $state<Submission | null>(null);
  submissionError = $state<string | null>(null);
  readonly saver: Autosaver;
  // Bookkeeping only, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #onSaved = new Set<() => void>();
  readonly issues = $derived(issuesByField(this.view?.readiness));
  /** The company as typed so far, for the title. */
  readonly company = $derived.by(() => {
    const value = this.values[FIELD.company];
    return (typeof value === 'string' && value.trim()) || 'New customer';
  });

  constructor(id: DraftId) {
    this.id = id;
    this.saver = new Autosaver(async (fieldId, value) => {
      const saved = await ipc.setAnswer({ draftId: id, fieldId, value });
      this.applySaved(saved);
      for (const listener of this.#onSaved) listener();
      return saved;
    });
  }

  async load(): Promise<void> {
    this.view = await ipc.openDraft(this.id);
    this.values = { ...this.view.draft.answers };
  }

  /** Runs `listener` after every autosave has been applied (panels that show what the answers
   * imply refresh then). Returns a function that stops it. */
  onSaved(listener: () => void): () => void {
    this.#onSaved.add(listener);
    return () => this.#onSaved.delete(listener);
  }

  /** The CSM changed a field: shown at once, saved once typing pauses. */
  change(fieldId: string, value: Answer): void {
    this.values[fieldId] = value ?? undefined;
    this.touched[fieldId] = true;
    this.saver.change(fieldId, value);
  }

  flush(): Promise<void> {
    return this.saver.flush();
  }

  /** The issue to show under a field of `step` now, if any. */
  shownIssue(fieldId: string, step: StepId): Issue | undefined {
    const issue = this.issues.get(fieldId);
    if (!issue) return undefined;
    if (issue.kind === 'invalid' && this.touched[fieldId]) return issue;
    return this.attempted[step] ? issue : undefined;
  }

  applySaved(saved: Saved): void {
    if (!this.view) return;
    this.view.readiness = saved.readiness;
    this.setStatus(saved.status);
    // Answers the core filled in from this one (pasted metadata fills the entity ID, …).
    for (const [fieldId, value] of Object.entries(saved.filled)) this.values[fieldId] = value;
  }

  /** A screenshot attached or removed: the view the core returned. */
  applyView(updated: DraftView): void {
    if (!this.view) return;
    this.view.screenshots = updated.screenshots;
    this.view.readiness = updated.readiness;
    this.view.jiraChoices = updated.jiraChoices;
    this.view.uploadNotes = updated.uploadNotes;
    this.setStatus(updated.draft.status);
  }

  /** Answers the core changed by itself (metadata fetched or read from a file), from a fresh read. */
  async reloadAnswers(fieldIds: readonly string[]): Promise<void> {
    const fresh = await ipc.openDraft(this.id);
    for (const fieldId of fieldIds) this.values[fieldId] = fresh.draft.answers[fieldId];
    if (this.view) this.view.readiness = fresh.readiness;
    this.setStatus(fresh.draft.status);
  }

  /** Where the submission stands now (the outbox says when it changed). */
  async refreshSubmission(): Promise<void> {
    try {
      this.applySubmission(await ipc.draftSubmission(this.id));
    } catch (e) {
      this.submissionError = errorText(e);
    }
  }

  applySubmission(submission: Submission | null): void {
    this.submission = submission;
    this.submissionError = null;
    if (submission) this.setStatus(submission.draftStatus);
  }

  applySummary(summary: DraftSummary): void {
    if (!this.view) return;
    this.view.draft.status = summary.status;
    this.view.draft.statusNote = summary.statusNote;
  }

  applyMeeting(meeting: MeetingView): void {
    this.setStatus(meeting.draftStatus);
  }

  private setStatus(status: DraftStatus): void {
    if (this.view) this.view.draft.status = status;
  }
}
