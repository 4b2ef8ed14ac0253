export { ContactConversations } from './ContactConversations.js';
export { ContactFacts, ContactProperties } from './ContactFacts.js';
export { ContactRow } from './ContactRow.js';
export { ContactToolbar } from './ContactToolbar.js';
export { EraseDialog } from './EraseDialog.js';
export { IdentityCell } from './IdentityCell.js';
export { MergeDialog } from './MergeDialog.js';
export { contactLabel } from './names.js';
