package dev.seqcast.speech;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One record on {@code seqcast.tags} (schema: {@code docs/schemas/tag.schema.json}): a frame tag
 * ({@code type = "frame"}) or a segment event ({@code type = "segment"}). Absent fields are left
 * out of the JSON.
 *
 * @param type {@code frame} or {@code segment}
 * @param stream stream id
 * @param frame frame index; frame k describes the stream's audio {@code [10k, 10k + 10)} ms
 * @param audioMs {@code 10 · frame}: where in the stream's audio the frame or event is
 * @param tag frame: {@code speech}, {@code non-speech}, or {@code unknown} before any model
 * @param speechProbability frame: the model's probability of speech
 * @param category frame: the most likely class of the model (JSON {@code class})
 * @param categoryProbability frame: its probability (JSON {@code classProbability})
 * @param event segment: {@code start} or {@code end}
 * @param startFrame segment end: the frame its segment started at
 * @param model model name
 * @param modelVersion model version
 * @param latencyMs frame: ms from the chunk's record timestamp to the tag
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagEvent(
    String type,
    String stream,
    long frame,
    long audioMs,
    String tag,
    Float speechProbability,
    @JsonProperty("class") String category,
    @JsonProperty("classProbability") Float categoryProbability,
    String event,
    Long startFrame,
    String model,
    Long modelVersion,
    Long latencyMs) {

  /** Milliseconds of audio per frame. */
  public static final long FRAME_MS = 10;
}
