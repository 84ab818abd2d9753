/**
 * go-livepeer's default segment info for Live Runner prices per
 * `720p-pixel-seconds`: 1280 × 720 at 30 fps. The gateway that pays and the
 * orchestrator that charges must use the same number, so it lives here once.
 */
export const PIXELS_720P_PER_SECOND = 1280n * 720n * 30n;
