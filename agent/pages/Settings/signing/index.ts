export { RotateDialog } from './RotateDialog.js';
export { SecretRow } from './SecretRow.js';
