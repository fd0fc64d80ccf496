package dev.seqcast.testkit;

import dev.seqcast.forecast.TickCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Generators of tick records for property tests and for the fuzzed end-to-end run on a real broker:
 * valid ticks, well-formed ticks with extreme numbers and event times, hostile JSON and plain
 * random bytes.
 */
public final class HostileTicks {

  /** Series the batches use; few, so event times collide and arrive out of order. */
  public static final List<String> SERIES = List.of("a", "b", "c");

  /** Latest event time a tick may carry (9999-12-31T23:59:59.999Z), as the codec documents. */
  public static final long MAX_TS = 253_402_300_799_999L;

  private HostileTicks() {}

  /** Record keys: absent, empty, short strings, random bytes (often invalid UTF-8). */
  public static Arbitrary<byte[]> keys() {
    return Arbitraries.oneOf(
        Arbitraries.just((byte[]) null),
        Arbitraries.just(new byte[0]),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(8));
  }

  /** Valid ticks, ticks with hostile numbers and fields, and plain random bytes. */
  public static Arbitrary<byte[]> tickValues() {
    Arbitrary<String> numbers =
        Arbitraries.oneOf(
            Arbitraries.doubles().map(d -> Double.toString(d)),
            Arbitraries.of(
                "NaN",
                "Infinity",
                "-Infinity",
                "1e309",
                "-1e309",
                "0",
                "-0",
                "1e-320",
                "9223372036854775808",
                "-9223372036854775809",
                "\"12\"",
                "null",
                "true",
                "[]",
                "{}",
                "1.5e",
                "--1",
                "0x10",
                "253402300800000",
                "-1"),
            Arbitraries.longs().map(l -> Long.toString(l)));
    Arbitrary<String> objects =
        Combinators.combine(
                numbers,
                numbers,
                Arbitraries.of("ts", "t", "TS", ""),
                Arbitraries.of("value", "v", ""))
            .as(
                (ts, value, tsName, valueName) ->
                    "{\"" + tsName + "\": " + ts + ", \"" + valueName + "\": " + value + "}");
    Arbitrary<String> truncated =
        objects.flatMap(
            o -> Arbitraries.integers().between(0, o.length()).map(n -> o.substring(0, n)));
    return Arbitraries.oneOf(
        objects.map(HostileTicks::utf8),
        truncated.map(HostileTicks::utf8),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
        Arbitraries.just((byte[]) null),
        Arbitraries.integers()
            .between(16_000, 20_000)
            .map(n -> utf8("{\"ts\":1,\"value\":1,\"x\":\"" + "a".repeat(n) + "\"}")));
  }

  /**
   * Well-formed ticks at the edges: event times at and just past both ends of the accepted range,
   * {@code Long.MIN_VALUE}/{@code MAX_VALUE}; values from the smallest subnormal to {@code
   * Double.MAX_VALUE}, zero, negative zero, negatives, and JSON numbers too large for a double.
   */
  public static Arbitrary<byte[]> extremeTickValues() {
    Arbitrary<String> ts =
        Arbitraries.oneOf(
            Arbitraries.of(
                    0L,
                    1L,
                    -1L,
                    MAX_TS,
                    MAX_TS - 1,
                    MAX_TS + 1,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE - 1)
                .map(l -> Long.toString(l)),
            Arbitraries.longs().between(0, MAX_TS).map(l -> Long.toString(l)),
            Arbitraries.of("1e18", "2.5", "-0", "1E3", "99999999999999999999"));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                    Double.MAX_VALUE,
                    -Double.MAX_VALUE,
                    Double.MIN_VALUE,
                    Double.MIN_NORMAL,
                    1e300,
                    1e-300,
                    1e-12,
                    1e12,
                    0.0,
                    -0.0,
                    -1.0)
                .map(d -> Double.toString(d)),
            Arbitraries.doubles().between(-308, 308).map(e -> Double.toString(Math.pow(10, e))),
            Arbitraries.of("1e400", "-1e400", "1" + "0".repeat(400), "4.9e-325"));
    return Combinators.combine(ts, values)
        .as((t, v) -> utf8("{\"ts\": " + t + ", \"value\": " + v + "}"));
  }

  /**
   * Batches of (key, value) records over {@link #SERIES}: mostly valid ticks with event times in a
   * small range (so duplicates and out-of-order ticks are common), some at the numeric edges, some
   * hostile.
   */
  public static Arbitrary<List<byte[][]>> recordBatches(int maxSize) {
    return records().list().ofMinSize(1).ofMaxSize(maxSize);
  }

  /** One record of the kind {@link #recordBatches} mixes. */
  public static Arbitrary<byte[][]> records() {
    Arbitrary<byte[]> seriesKeys = Arbitraries.of(SERIES).map(HostileTicks::utf8);
    Arbitrary<byte[][]> valid =
        Combinators.combine(
                seriesKeys,
                Arbitraries.longs().between(0, 50),
                Arbitraries.doubles().between(1, 1000))
            .as((series, ts, value) -> new byte[][] {series, TickCodec.encodeValue(ts, value)});
    Arbitrary<byte[][]> extreme =
        Combinators.combine(seriesKeys, extremeTickValues()).as((k, v) -> new byte[][] {k, v});
    Arbitrary<byte[][]> hostile =
        Combinators.combine(keys(), tickValues()).as((k, v) -> new byte[][] {k, v});
    return Arbitraries.frequencyOf(Tuple.of(8, valid), Tuple.of(1, extreme), Tuple.of(1, hostile));
  }

  /**
   * A live-looking stream of {@code count} records, reproducible from {@code seed}: 80% valid ticks
   * on five series with event times moving forward (one in twenty repeats or goes back in time),
   * 10% well-formed ticks at the numeric and time edges on a series of their own, 10% hostile
   * records.
   */
  public static List<byte[][]> stream(int count, long seed) {
    Random random = new Random(seed);
    List<byte[][]> stream = new java.util.ArrayList<>();
    // Generators need a jqwik session when used outside a property.
    JqwikSession.run(
        () -> {
          var extreme = extremeTickValues().generator(100);
          var hostileKeys = keys().generator(100);
          var hostileValues = tickValues().generator(100);
          long[] lastTs = new long[5];
          double[] price = {100, 50, 20, 3000, 7};
          for (int i = 0; i < count; i++) {
            double kind = random.nextDouble();
            if (kind < 0.8) {
              int s = random.nextInt(lastTs.length);
              double late = random.nextDouble();
              long ts =
                  late < 0.025
                      ? lastTs[s]
                      : late < 0.05 ? Math.max(0, lastTs[s] - 1 - random.nextInt(5_000)) : 0;
              if (ts == 0) {
                ts = lastTs[s] + 1 + random.nextInt(2_000);
                lastTs[s] = ts;
              }
              price[s] *= Math.exp(0.01 * random.nextGaussian());
              stream.add(new byte[][] {utf8("s" + s), TickCodec.encodeValue(ts, price[s])});
            } else if (kind < 0.9) {
              stream.add(new byte[][] {utf8("edge"), extreme.next(random).value()});
            } else {
              stream.add(
                  new byte[][] {
                    hostileKeys.next(random).value(), hostileValues.next(random).value()
                  });
            }
          }
        });
    return stream;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
