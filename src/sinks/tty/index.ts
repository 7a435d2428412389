/** The live terminal view (text mode on a TTY) and the catching-up progress bar. */
export { createTtyView, type TtyView, type TtyViewOptions, type TtyStream } from './ttyView.js';
export { createProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.js';
export { formatProgress, type ProgressInfo } from './progressFormat.js';
export { renderView, type RenderOptions } from './renderView.js';
export {
  initialViewState,
  reduceView,
  currentInterval,
  recentHits,
  HISTORY,
  ALERT_HISTORY,
  RECENT,
  type LiveInterval,
  type RecentHits,
  type ViewConfig,
  type ViewState,
  type ViewTotals,
} from './viewState.js';
export { shouldColor } from './ansi.js';
export { sparkline, sparklineTop, blockLevel, BLOCKS } from './sparkline.js';
