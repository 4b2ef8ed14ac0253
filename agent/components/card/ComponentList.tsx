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

/**
 * Components one under the other; buttons that follow each other share a row. Fields are drawn
 * only inside a form and forms only outside one, as the schema allows.
 */
export function ComponentList(props: Renderers & { components: readonly Item[] }) {
  const { components, ...renderers } = props;
  const rows: ComponentChildren[] = [];
  let buttons: ComponentChildren[] = [];
  const flush = () => {
    if (buttons.length > 0) {
      rows.push(
        <div class="site-card-actions" key={`actions-${rows.length}`}>
          {buttons}
        </div>,
      );
    }
    buttons = [];
  };
  components.forEach((component, index) => {
    if (component.type === 'button') {
      buttons.push(<Fragment key={index}>{renderers.renderButton(component)}</Fragment>);
      return;
    }
    flush();
    rows.push(<Fragment key={index}>{one(component, renderers)}</Fragment>);
  });
  flush();
  return <div class="site-card-list">{rows}</div>;
}
