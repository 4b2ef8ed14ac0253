import { useEffect, useState } from 'preact/hooks';
import type { CardCallEntry, CardSettings, Project } from '../../../protocol/index.js';
import {
  createCard,
  deleteCard,
  fetchCardLog,
  fetchCardSettings,
  updateCard,
} from '../../api/cards.js';
import { ApiError, failed } from '../../api/request.js';
import { Dialog } from '../../components/Dialog.js';
import { DialogForm } from '../../components/DialogForm.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { dateTime } from '../../lib/format.js';
import { headerInputs, HeadersSection, rowsOf } from './integration/index.js';
import { ProjectFrame } from './ProjectFrame.js';
import { AddButton, ListTable } from './SettingsList.js';

export function CardsPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="cards">
      {(project) => <CardsView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

const COLUMNS = ['Card', 'URL', 'Cache', 'Status'];

/** The project's cards (add, edit, delete) and, under them, the card log. */
function CardsView({ project }: { project: Project }) {
  const [cards, setCards] = useState<CardSettings[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // `null`: no dialog; `'new'`: adding; a card: editing it.
  const [editing, setEditing] = useState<CardSettings | 'new' | null>(null);
  const [removing, setRemoving] = useState<CardSettings | null>(null);

  async function reload(): Promise<void> {
    try {
      setCards((await fetchCardSettings(project.id)).items);
    } catch (e) {
      setError(failed(e, 'load the cards'));
    }
  }

  useEffect(() => {
    void reload();
  }, [project.id]);

  return (
    <>
      <PageHead actions={<AddButton label="New card" onClick={() => setEditing('new')} />}>
        Cards show live data from your site beside each conversation. Palaver POSTs the conversation
        and its contact to each card’s URL, signed with the project’s signing secret, and draws the
        JSON card it answers.
      </PageHead>
      <Notice text={error} />
      <ListTable
        columns={COLUMNS}
        loading={cards === null && !error}
        note={cards?.length === 0 ? <p class="muted">No cards yet.</p> : null}
      >
        {(cards ?? []).map((card) => (
          <tr key={card.id}>
            <td>{card.name}</td>
            <td>
              <code class="break">{card.url}</code>
            </td>
            <td>{card.cacheSeconds} s</td>
            <td>{card.enabled ? 'On' : 'Off'}</td>
            <td class="cell-actions">
              <button type="button" class="button button-small" onClick={() => setEditing(card)}>
                Edit
              </button>
              <button
                type="button"
                class="button button-small button-danger"
                onClick={() => setRemoving(card)}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </ListTable>
      {editing ? (
        <CardDialog
          projectId={project.id}
          card={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      ) : null}
      {removing ? (
        <Dialog
          id="card-delete"
          title={`Delete ${removing.name}?`}
          onClose={() => setRemoving(null)}
        >
          <DialogForm
            ready
            confirm="Delete card"
            running="Deleting…"
            failure="delete the card"
            onCancel={() => setRemoving(null)}
            onConfirm={async () => {
              await deleteCard(project.id, removing.id);
              setRemoving(null);
              await reload();
            }}
          >
            <p>Agents stop seeing this card beside conversations. Its log entries stay.</p>
          </DialogForm>
        </Dialog>
      ) : null}
      <CardLog projectId={project.id} cards={cards ?? []} />
    </>
  );
}

function CardDialog(props: {
  projectId: string;
  card: CardSettings | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { card } = props;
  const [name, setName] = useState(card?.name ?? '');
  const [url, setUrl] = useState(card?.url ?? '');
  const [cacheSeconds, setCacheSeconds] = useState(String(card?.cacheSeconds ?? 60));
  const [enabled, setEnabled] = useState(card?.enabled ?? true);
  const [rows, setRows] = useState(() => rowsOf({ headers: card?.headers ?? [] }));
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const problem = (path: string) => problems.find((p) => p.path === path)?.message;

  async function save(): Promise<void> {
    const body = {
      name,
      url,
      cacheSeconds: Number(cacheSeconds),
      enabled,
      headers: headerInputs(rows),
    };
    try {
      if (card) await updateCard(props.projectId, card.id, body);
      else await createCard(props.projectId, body);
      props.onSaved();
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.fields ?? []);
      throw e;
    }
  }

  return (
    <Dialog id="card-edit" title={card ? `Edit ${card.name}` : 'New card'} onClose={props.onClose}>
      <DialogForm
        ready={name.trim() !== '' && url.trim() !== ''}
        confirm={card ? 'Save card' : 'Add card'}
        running="Saving…"
        tone="primary"
        failure="save the card"
        onCancel={props.onClose}
        onConfirm={save}
      >
        <Field id="card-name" label="Name" error={problem('name')}>
          <input
            id="card-name"
            class="input"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="card-url"
          label="URL"
          error={problem('url')}
          hint="Your endpoint: it receives a POST for each card and each button used"
        >
          <input
            id="card-url"
            class="input input-mono"
            placeholder="https://api.example.com/palaver/cards/orders"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="card-cache"
          label="Cache (seconds)"
          error={problem('cacheSeconds')}
          hint="How long an answer is reused for the same contact; Refresh asks again"
        >
          <input
            id="card-cache"
            class="input"
            type="number"
            min={0}
            max={3600}
            value={cacheSeconds}
            onInput={(e) => setCacheSeconds(e.currentTarget.value)}
          />
        </Field>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          Show this card beside conversations
        </label>
        <HeadersSection rows={rows} problem={problem} onRows={setRows} />
      </DialogForm>
    </Dialog>
  );
}

/** Every card and action call, newest first: what the site answered, never a header value. */
function CardLog(props: { projectId: string; cards: CardSettings[] }) {
  const [cardId, setCardId] = useState('');
  const [items, setItems] = useState<CardCallEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(more: boolean): Promise<void> {
    setError(null);
    try {
      const page = await fetchCardLog(props.projectId, {
        ...(cardId ? { cardId } : {}),
        ...(more && cursor ? { cursor } : {}),
      });
      setItems(more ? [...items, ...page.items] : page.items);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(failed(e, 'load the card log'));
    }
  }

  useEffect(() => {
    void load(false);
  }, [props.projectId, cardId]);

  return (
    <section class="card" aria-labelledby="card-log-title">
      <div class="log-toolbar">
        <h2 id="card-log-title">Card log</h2>
        <span class="spacer" />
        <select
          class="select select-small"
          aria-label="Show the calls of"
          value={cardId}
          onChange={(e) => setCardId(e.currentTarget.value)}
        >
          <option value="">All cards</option>
          {props.cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <button type="button" class="button button-small" onClick={() => void load(false)}>
          Refresh
        </button>
      </div>
      <Notice text={error} />
      <table class="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Card</th>
            <th scope="col">Agent</th>
            <th scope="col">Call</th>
            <th scope="col">Outcome</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid="card-log-entry">
              <td>{dateTime(e.at)}</td>
              <td>{e.cardName}</td>
              <td>{e.agent?.name ?? '—'}</td>
              <td>{e.kind === 'action' ? <code>{e.action}</code> : 'Card'}</td>
              <td>
                {e.outcome === 'ok' ? 'OK' : (e.errorClass ?? 'Error')}
                {e.httpStatus !== null ? ` · HTTP ${e.httpStatus}` : ''}
                {e.latencyMs !== null ? ` · ${e.latencyMs} ms` : ''}
              </td>
              <td class="break">
                {e.message}
                {e.droppedPii.length > 0
                  ? ` · dropped: ${e.droppedPii.map((d) => `${d.path} (${d.reason})`).join(', ')}`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error ? <p class="muted">No calls yet.</p> : null}
      {cursor ? (
        <button type="button" class="button button-small" onClick={() => void load(true)}>
          Older calls
        </button>
      ) : null}
    </section>
  );
}
