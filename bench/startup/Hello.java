/** The trivial main of the start-up benchmark: prints one line and returns. */
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
