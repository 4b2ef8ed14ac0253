export { CardView, type CardViewProps } from './CardView.js';
export { CardFrame, type CardFrameProps, type CardFrameState } from './CardFrame.js';
export type { OnCardAction } from './ActionButton.js';
