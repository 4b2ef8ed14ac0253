/** An on/off switch with its label and a hint that says what each position means. */
export function SwitchRow(props: {
  id: string;
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const hintId = `${props.id}-hint`;
  return (
    <div class="toggle-row">
      <input
        id={props.id}
        type="checkbox"
        class="switch"
        checked={props.checked}
        aria-describedby={hintId}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <div>
        <label for={props.id} class="strong">
          {props.label}
        </label>
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      </div>
    </div>
  );
}
