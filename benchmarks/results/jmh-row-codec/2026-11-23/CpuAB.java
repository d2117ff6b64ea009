import dev.ringsweep.bench.jmh.RowCodecBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time (not wall time) per operation of RowCodecBenchmark's methods, for a loaded machine. */
public class CpuAB {
  static Object sink;
  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    String[] methods = args[0].split(",");
    int iterations = Integer.parseInt(args[1]);
    for (String table : new String[] {"bench", "every-type"}) {
      RowCodecBenchmark b = new RowCodecBenchmark();
      java.lang.reflect.Field f = RowCodecBenchmark.class.getDeclaredField("table");
      f.setAccessible(true);
      f.set(b, table);
      b.setUp();
      for (String m : methods) {
        java.lang.reflect.Method method = RowCodecBenchmark.class.getMethod(m);
        int ops = table.equals("bench") ? 20_000 : 2_000;
        double[] per = new double[iterations];
        for (int it = 0; it < 10 + iterations; it++) {
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < ops; i++) {
            sink = method.invoke(b);
          }
          long c1 = mx.getCurrentThreadCpuTime();
          if (it >= 10) {
            per[it - 10] = (c1 - c0) / (double) ops;
          }
        }
        java.util.Arrays.sort(per);
        System.out.printf("%s %s cpu-ns/op median %.0f min %.0f%n", m, table, per[iterations / 2], per[0]);
      }
    }
  }
}
