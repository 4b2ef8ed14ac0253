import {
  IMAGE_SCHEMES,
  LINK_SCHEMES,
  safeCardUrl,
  type CardComponent,
  type CardTone,
} from '../../../protocol/index.js';
import { Icon } from '../Icon.js';

/**
 * The components of a card that only show something. Every string reaches the page as a text
 * node or an attribute set here; addresses are checked again, whatever the caller parsed.
 */

type Of<T extends CardComponent['type']> = Extract<CardComponent, { type: T }>;

const toneClass = (tone: CardTone | undefined) => `site-card-tone-${tone ?? 'default'}`;

const HEADINGS = { 1: 'h4', 2: 'h5', 3: 'h6' } as const;

export function CardHeading({ component }: { component: Of<'heading'> }) {
  const Tag = HEADINGS[component.level ?? 1];
  return (
    <Tag class={`site-card-heading site-card-heading-${component.level ?? 1}`}>
      {component.text}
    </Tag>
  );
}

export function CardText({ component }: { component: Of<'text'> }) {
  return <p class={`site-card-text ${toneClass(component.tone)}`}>{component.text}</p>;
}

export function CardBadge({ component }: { component: Of<'badge'> }) {
  return <span class={`badge site-card-badge ${toneClass(component.tone)}`}>{component.text}</span>;
}

export function CardKeyValue({ component }: { component: Of<'keyValue'> }) {
  return (
    <dl class="meta site-card-pairs">
      {component.items.map((item, index) => (
        <div class="meta-row" key={index}>
          <dt>{item.label}</dt>
          <dd class={typeof item.value === 'number' ? 'meta-number' : 'pre-line'}>
            {item.value === null ? <span class="muted">—</span> : String(item.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function CardTable({ component }: { component: Of<'table'> }) {
  return (
    // Focusable, so that a keyboard can scroll a table wider than the side column.
    <div class="site-card-table-scroll" tabIndex={0} role="region" aria-label="Table">
      <table class="site-card-table">
        <thead>
          <tr>
            {component.columns.map((column, index) => (
              <th scope="col" key={index}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {component.rows.map((row, index) => (
            <tr key={index}>
              {row.map((cell, column) => (
                <td key={column} class={typeof cell === 'number' ? 'meta-number' : undefined}>
                  {cell === null ? '' : String(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A link opens in a new tab, tells the site nothing of the console, and only by allowed schemes. */
export function CardLink({ component }: { component: Of<'link'> }) {
  const href = safeCardUrl(component.url, LINK_SCHEMES);
  if (href === null) {
    return (
      <span class="site-card-refused" title="Not a link: its address is not https, mailto or tel">
        {component.text}
      </span>
    );
  }
  return (
    <a class="fact-link site-card-link" href={href} target="_blank" rel="noopener noreferrer">
      {component.text}
      <Icon name="external" size={12} />
    </a>
  );
}

export function CardImage({ component }: { component: Of<'image'> }) {
  const src = safeCardUrl(component.url, IMAGE_SCHEMES);
  if (src === null) {
    return <span class="site-card-refused">{`Image not shown: ${component.alt}`}</span>;
  }
  return (
    <img
      class="site-card-image"
      src={src}
      alt={component.alt}
      width={component.width}
      height={component.height}
      loading="lazy"
      decoding="async"
      referrerpolicy="no-referrer"
    />
  );
}
