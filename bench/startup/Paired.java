import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times two shell commands as whole processes, in turn (A B A B ..., after one pair not counted), and
 * prints min / median / max of each one's wall and CPU seconds and of the A/B ratios taken pair by pair
 * (pairing keeps a ratio meaningful when the machine's speed drifts). CPU is the user + system time of
 * the processes the command waited for, from the shell's own {@code times}. Public tools only: Java and sh.
 *
 * <p>Usage: {@code java bench/startup/Paired.java RUNS TIMEOUT_SECONDS 'COMMAND_A' 'COMMAND_B'}
 */
public final class Paired {

    private record Run(double wall, double cpu, int exit) {
    }

    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        String a = args[2];
        String b = args[3];
        run(a);
        run(b); // warm-up pair: file caches, JIT of the shell's tools
        List<Run> as = new ArrayList<>();
        List<Run> bs = new ArrayList<>();
        for (int i = 0; i < runs && System.nanoTime() < deadline; i++) {
            as.add(run(a));
            bs.add(run(b));
        }
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < as.size(); i++) {
            wallRatios.add(as.get(i).wall / bs.get(i).wall);
            cpuRatios.add(as.get(i).cpu / bs.get(i).cpu);
        }
        System.out.println("# " + as.size() + " pairs (min, median, max)");
        print("A wall s", as.stream().map(Run::wall).toList(), 3);
        print("B wall s", bs.stream().map(Run::wall).toList(), 3);
        print("A cpu s", as.stream().map(Run::cpu).toList(), 3);
        print("B cpu s", bs.stream().map(Run::cpu).toList(), 3);
        print("A/B wall", wallRatios, 4);
        print("A/B cpu", cpuRatios, 4);
        System.out.println("A exit " + exits(as));
        System.out.println("B exit " + exits(bs));
    }

    private static Run run(String command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", "{ " + command + "\n} >/dev/null 2>&1 </dev/null; rc=$?; times; exit $rc")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = Double.NaN;
        Matcher m = TIMES.matcher(out);
        while (m.find()) { // the last line of `times`: the children's user and system time
            cpu = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                    + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
        }
        return new Run(wall, cpu, exit);
    }

    private static void print(String label, List<Double> values, int decimals) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        String f = "%-12s %10." + decimals + "f  %10." + decimals + "f  %10." + decimals + "f%n";
        System.out.printf(f, label, sorted.get(0), median, sorted.get(n - 1));
    }

    private static String exits(List<Run> runs) {
        return runs.stream().map(r -> Integer.toString(r.exit)).reduce((x, y) -> x + " " + y).orElse("");
    }
}
