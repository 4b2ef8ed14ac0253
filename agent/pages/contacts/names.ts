import type { Contact } from '../../../protocol/index.js';
import { profileName } from '../../components/ProfileFields.js';

/** What the console calls a contact: their name, else the site's id for them. */
export const contactLabel = (contact: Contact) => profileName(contact) ?? contact.externalId;
