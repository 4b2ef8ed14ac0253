export { CardView } from './CardView.js';
export { CardFrame, type CardFrameState } from './CardFrame.js';
export type { OnCardAction } from './ActionButton.js';
export { ConversationCards } from './ConversationCards.js';
