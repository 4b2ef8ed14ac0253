export { exampleRequest } from './endpoint.js';
export { HealthBanner } from './HealthBanner.js';
export { IdentitySecretCard } from './IdentitySecret.js';
export { IntegrationForm } from './IntegrationForm.js';
export { TestConnection } from './TestConnection.js';
export { headerInputs, HeadersSection, rowsOf } from './HeaderRows.js';
