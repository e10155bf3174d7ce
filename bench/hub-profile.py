"""Splits a hub's collapsed CPU stacks (async-profiler, `threads`) into the hub's own work and the agent's.

Usage: python3 bench/hub-profile.py FILE.collapsed
Categories, in this order (the first that matches a stack wins):
  jit        compiler threads (C1/C2)
  gc         GC threads
  sink       the agent's own threads (mcp-telemetry-*: ring consumer, COPY writer, maintenance)
  hook:NAME  a stack of a hub thread that passes through the agent's advice code (NAME: the outermost
             agent frame, i.e. the hook the hub's code called)
  hub        everything else (the hub, Jetty, the MCP SDK, Jackson, the JDK)
"""
import collections
import re
import sys

AGENT = 'io/mcphub/telemetry/'


def category(frames):
    thread = frames[0]
    if 'CompilerThre' in thread or 'C1 Compiler' in thread or 'C2 Compiler' in thread:
        return 'jit'
    if re.search(r'GC Thread|G1 |GC Conc|VM Thread|G1 Refine|G1 Conc', thread):
        return 'gc'
    if 'mcp-telemetry' in thread:
        return 'sink'
    for f in frames[1:]:
        if AGENT in f:
            name = f.split('/')[-1]
            return 'hook:' + re.sub(r'\$\$Lambda.*', '$$Lambda', name)
    return 'hub'


def main(path):
    totals = collections.Counter()
    for line in open(path):
        stack, n = line.rstrip('\n').rsplit(' ', 1)
        totals[category(stack.split(';'))] += int(n)
    all_samples = sum(totals.values())
    java = all_samples - totals['jit'] - totals['gc']
    hooks = sum(v for k, v in totals.items() if k.startswith('hook:'))
    print(f'samples (1 ms of CPU each): {all_samples}; JIT {totals["jit"]}, GC {totals["gc"]}, the rest {java}')
    print(f'agent share of the rest: {100.0 * (hooks + totals["sink"]) / java:.1f} % '
          f'(hooks {100.0 * hooks / java:.1f} %, the agent\'s threads {100.0 * totals["sink"] / java:.1f} %)')
    for k, v in totals.most_common():
        if k.startswith('hook:') and 100.0 * v / java >= 0.05:
            print(f'  {k[5:]:<60} {100.0 * v / java:5.2f} %')


if __name__ == '__main__':
    main(sys.argv[1])
