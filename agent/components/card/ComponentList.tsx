import { Fragment, type ComponentChildren, type VNode } from 'preact';
import { useId } from 'preact/hooks';
import type {
  CardButton,
  CardComponent,
  CardForm,
  CardFormItem,
  CardInputField,
} from '../../../protocol/index.js';
import {
  CardBadge,
  CardHeading,
  CardImage,
  CardKeyValue,
  CardLink,
  CardTable,
  CardText,
} from './display.js';

/** How the view that owns a list draws what acts: buttons, forms, and the inputs of a form. */
export interface Renderers {
  renderButton: (button: CardButton) => VNode;
  renderForm?: (form: CardForm) => VNode;
  renderField?: (field: CardInputField) => VNode;
}

function Section(props: Renderers & { component: Extract<CardComponent, { type: 'section' }> }) {
  const id = useId();
  const { component, ...renderers } = props;
  return (
    <section class="site-card-section" aria-labelledby={component.title ? id : undefined}>
      {component.title ? (
        <h4 id={id} class="site-card-section-title">
          {component.title}
        </h4>
      ) : null}
      <ComponentList components={component.components} {...renderers} />
    </section>
  );
}

type Item = CardComponent | CardFormItem;

function one(component: Exclude<Item, CardButton>, renderers: Renderers): ComponentChildren {
  switch (component.type) {
    case 'heading':
      return <CardHeading component={component} />;
    case 'text':
      return <CardText component={component} />;
    case 'keyValue':
      return <CardKeyValue component={component} />;
    case 'table':
      return <CardTable component={component} />;
    case 'badge':
      return <CardBadge component={component} />;
    case 'divider':
      return <hr class="site-card-divider" />;
    case 'link':
      return <CardLink component={component} />;
    case 'image':
      return <CardImage component={component} />;
    case 'section':
      return <Section component={component} {...renderers} />;
    case 'form':
      return renderers.renderForm?.(component) ?? null;
    case 'input':
    case 'textarea':
    case 'select':
    case 'checkbox':
      return renderers.renderField?.(component) ?? null;
    default:
      // Only a card that skipped the schema gets here: what is not known is not drawn.
      return null;
  }
}

/** Buttons that follow each other share a row, and so do badges. */
const ROW_CLASS: Partial<Record<Item['type'], string>> = {
  button: 'site-card-actions',
  badge: 'site-card-badges',
};

/**
 * Components one under the other, runs of buttons or badges in rows. Fields are drawn only
 * inside a form and forms only outside one, as the schema allows.
 */
export function ComponentList(props: Renderers & { components: readonly Item[] }) {
  const { components, ...renderers } = props;
  const groups: { rowClass: string | undefined; first: number; items: ComponentChildren[] }[] = [];
  components.forEach((component, index) => {
    const item = (
      <Fragment key={index}>
        {component.type === 'button'
          ? renderers.renderButton(component)
          : one(component, renderers)}
      </Fragment>
    );
    const rowClass = ROW_CLASS[component.type];
    const last = groups.at(-1);
    if (rowClass !== undefined && last?.rowClass === rowClass) last.items.push(item);
    else groups.push({ rowClass, first: index, items: [item] });
  });
  return (
    <div class="site-card-list">
      {groups.map((group) =>
        group.rowClass === undefined ? (
          group.items
        ) : (
          <div class={group.rowClass} key={group.first}>
            {group.items}
          </div>
        ),
      )}
    </div>
  );
}
