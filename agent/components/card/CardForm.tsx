import { useId, useState } from 'preact/hooks';
import {
  formFields,
  type CardForm as CardFormComponent,
  type CardInputField,
  type CardInputValues,
  type InputProblem,
} from '../../../protocol/index.js';
import { describedBy, Field, FieldError } from '../Field.js';
import { ActionButton, type ActionHost } from './ActionButton.js';
import { ComponentList } from './ComponentList.js';

/** What each input holds when the card appears: the card's value, or empty. */
function initialValues(form: CardFormComponent): CardInputValues {
  return Object.fromEntries(
    formFields(form).map((field) => [
      field.name,
      field.type === 'checkbox' ? (field.checked ?? false) : (field.value ?? ''),
    ]),
  );
}

function Control(props: {
  field: CardInputField;
  id: string;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const { field, id, error } = props;
  if (field.type === 'checkbox') {
    return (
      <div class={error ? 'field field-invalid' : 'field'}>
        <label class="check-row">
          <input
            type="checkbox"
            {...describedBy(id, error)}
            checked={props.value === true}
            onChange={(e) => props.onChange(e.currentTarget.checked)}
          />
          <span>{field.label}</span>
        </label>
        <FieldError id={id} error={error} />
      </div>
    );
  }
  const text = typeof props.value === 'string' ? props.value : '';
  const common = { ...describedBy(id, error), name: field.name, required: field.required === true };
  return (
    <Field id={id} label={field.label} error={error}>
      {field.type === 'select' ? (
        <select
          class="select"
          {...common}
          value={text}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          {field.required === true && field.value !== undefined ? null : (
            <option value="">{field.required === true ? 'Choose…' : '—'}</option>
          )}
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : field.type === 'textarea' ? (
        <textarea
          class="input textarea"
          rows={3}
          {...common}
          placeholder={field.placeholder}
          maxLength={field.maxLength}
          value={text}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      ) : (
        <input
          class="input"
          type="text"
          {...common}
          placeholder={field.placeholder}
          maxLength={field.maxLength}
          value={text}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/**
 * A card's form: labelled controls holding what the agent types, sent by the form's buttons.
 * Enter never sends it: a button may do something that cannot be undone.
 */
export function CardForm(props: { form: CardFormComponent; host: ActionHost }) {
  const { form, host } = props;
  const id = useId();
  const [values, setValues] = useState(() => initialValues(form));
  const [problems, setProblems] = useState<InputProblem[]>([]);
  const errorOf = (name: string) => problems.find((p) => p.path === `inputs.${name}`)?.message;
  const general = problems.filter((p) => !p.path.startsWith('inputs.'));

  function change(name: string, value: string | boolean): void {
    setValues((current) => ({ ...current, [name]: value }));
    setProblems((current) => current.filter((p) => p.path !== `inputs.${name}`));
  }

  return (
    <form class="site-card-form" noValidate onSubmit={(e) => e.preventDefault()}>
      <ComponentList
        components={form.components}
        renderField={(field) => (
          <Control
            key={field.name}
            field={field}
            id={`${id}-${field.name}`}
            value={values[field.name] ?? ''}
            error={errorOf(field.name)}
            onChange={(value) => change(field.name, value)}
          />
        )}
        renderButton={(button) => (
          <ActionButton
            key={button.action}
            button={button}
            host={host}
            values={values}
            onProblems={setProblems}
          />
        )}
      />
      {general.map((p) => (
        <p key={p.path} class="notice notice-error" role="alert">
          {p.message}
        </p>
      ))}
    </form>
  );
}
