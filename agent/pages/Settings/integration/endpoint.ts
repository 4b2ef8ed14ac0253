import type { EndpointMethod, EndpointStyle } from '../../../../protocol/index.js';

/** The user id the example request is shown for. */
export const EXAMPLE_ID = 'u_123';

/**
 * The request Palaver would make for an example user, or null while the URL is incomplete. A
 * data-sync POST goes to its one URL as given; the id travels in the body.
 */
export function exampleRequest(
  style: EndpointStyle,
  url: string,
  paramName: string,
  method: EndpointMethod,
): string | null {
  try {
    if (method === 'POST') return url.includes('{id}') ? null : `POST ${new URL(url).href}`;
    if (style === 'path') {
      if (!url.includes('{id}')) return null;
      return `${method} ${new URL(url.replace('{id}', EXAMPLE_ID)).href}`;
    }
    const target = new URL(url);
    target.searchParams.set(paramName.trim() || 'id', EXAMPLE_ID);
    return `${method} ${target.href}`;
  } catch {
    return null;
  }
}

const ID_SEGMENT = '/{id}';

/** A data-sync endpoint has one fixed URL: a path template's {id} segment does not belong. */
export function urlForMethod(url: string, method: EndpointMethod): string {
  const trimmed = url.trim();
  return method === 'POST' && trimmed.endsWith(ID_SEGMENT)
    ? trimmed.slice(0, -ID_SEGMENT.length)
    : url;
}

/** Carries the URL over in the other style's shape when it obviously fits. */
export function urlForStyle(url: string, style: EndpointStyle): string {
  const trimmed = url.trim();
  if (style === 'query' && trimmed.endsWith(ID_SEGMENT)) {
    return trimmed.slice(0, -ID_SEGMENT.length);
  }
  if (style === 'path' && trimmed && !trimmed.includes('{id}') && !trimmed.includes('?')) {
    return `${trimmed.replace(/\/+$/, '')}${ID_SEGMENT}`;
  }
  return url;
}
