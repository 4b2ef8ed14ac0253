import { useState } from 'preact/hooks';
import type { FieldProblem } from '../../api/request.js';
import { formError, problemsOf } from '../../lib/form.js';

/** Moves focus to the first field marked invalid (the markers render on the next frame). */
export function focusFirstInvalid(form: HTMLFormElement): void {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** `invalid`: the browser's check stopped it; `failed`: the server refused or was unreachable. */
type SubmitOutcome = 'invalid' | 'failed' | 'saved';

export interface SettingsForm {
  /** Per-field problems of the last attempt: the browser's check, or the server's answer. */
  problems: FieldProblem[];
  /** What to say above the form when no field shows the problem; null when there is none. */
  summary: string | null;
  saving: boolean;
  /** The last save went through and nothing was typed since. */
  saved: boolean;
  /** Typing after a save: "Changes saved" no longer holds. */
  edited: () => void;
  /**
   * Saves, unless the browser's own check found `local` problems; then, given the `form`, focus
   * goes to the first invalid field.
   */
  submit(
    local: FieldProblem[],
    save: () => Promise<unknown>,
    form?: HTMLFormElement,
  ): Promise<SubmitOutcome>;
}

/**
 * What every settings form keeps the same way: its problems, the summary above it, saving and
 * saved. `fields` are the paths the form shows next to an input; anything else is summarised.
 */
export function useSettingsForm(fields: readonly string[]): SettingsForm {
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  async function submit(
    local: FieldProblem[],
    save: () => Promise<unknown>,
    form?: HTMLFormElement,
  ): Promise<SubmitOutcome> {
    setSaved(false);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) {
      if (form) focusFirstInvalid(form);
      return 'invalid';
    }
    setSaving(true);
    try {
      await save();
      setSaved(true);
      return 'saved';
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
      return 'failed';
    } finally {
      setSaving(false);
    }
  }

  return {
    problems,
    summary: formError(error, problems, fields),
    saving,
    saved,
    edited: () => setSaved(false),
    submit,
  };
}
