/**
 * What a model does, by its catalog name, for the gateway's API surface: image generation and audio models get the
 * images and audio operations, realtime models a WebSocket API (Learn, "Azure OpenAI in Azure AI Foundry Models":
 * image generation `dall-e-3`, `gpt-image-1`; speech to text `whisper`, `gpt-4o-transcribe`; text to speech `tts`,
 * `gpt-4o-mini-tts`; realtime `gpt-4o-realtime-preview`, `gpt-realtime`). Everything else is a text model.
 */
export type ModelKind = 'text' | 'images' | 'audio' | 'realtime';

const KINDS: ReadonlyArray<readonly [RegExp, ModelKind]> = [
  [/realtime/i, 'realtime'],
  [/^(dall-e|gpt-image)/i, 'images'],
  [/^(whisper|tts|gpt-4o(-mini)?-(transcribe|tts))/i, 'audio'],
];

export function modelKind(modelName: string): ModelKind {
  return KINDS.find(([pattern]) => pattern.test(modelName))?.[1] ?? 'text';
}
