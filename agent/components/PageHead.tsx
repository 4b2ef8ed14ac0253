import type { ComponentChildren } from 'preact';

/** The head of a page: its title, what it is for (`children`), and its `actions` on the right. */
export function PageHead(props: {
  title?: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-head">
      <div>
        {props.title ? <h1>{props.title}</h1> : null}
        <p class="page-sub">{props.children}</p>
      </div>
      {props.actions}
    </header>
  );
}
