/** How long a replaced secret may keep working, in the steps every rotation offers. */
const CHOICES: { hours: number; label: string }[] = [
  { hours: 0, label: 'Stop at once' },
  { hours: 1, label: 'For 1 hour' },
  { hours: 24, label: 'For 24 hours' },
  { hours: 72, label: 'For 3 days' },
  { hours: 168, label: 'For 7 days' },
  { hours: 336, label: 'For 14 days' },
];

/** The grace period of a secret rotation: the steps up to what the server allows. */
export function GraceField(props: {
  id: string;
  label: string;
  maxHours: number;
  hours: number;
  onChange: (hours: number) => void;
}) {
  return (
    <label class="grace-field" for={props.id}>
      {props.label}
      <select
        id={props.id}
        class="select select-small"
        value={String(props.hours)}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      >
        {CHOICES.filter((c) => c.hours <= props.maxHours).map((c) => (
          <option key={c.hours} value={String(c.hours)}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
