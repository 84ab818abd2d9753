// The gateway's client for go-livepeer's batch AI wire (ADR 0034).
export { AI_WORKER_AUTHORIZATION, aiJobCapabilities, aiManifestId, aiSegmentHeader, type AISegmentHeaderInput } from './ai-credentials.js';
export { encodeAIBody, type EncodedAIBody } from './ai-request-body.js';
export { MAX_EVENT_BYTES, parseAIEventStream, type AIStreamEvent } from './ai-event-stream.js';
export { MAX_AI_RESPONSE_BYTES, remoteText, submitAIRequest, type AIWireResponse, type SubmitAIOptions } from './ai-client.js';
export { fetchMedia, MAX_AI_MEDIA_BYTES, mediaSlots, type FetchedMedia, type MediaSlot } from './ai-media.js';
