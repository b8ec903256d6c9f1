"""A/B of the reading processes: ``portfolio check`` with the hand-dealt fork pool (a, what
generator/read/reading.py does) or with ``concurrent.futures.ProcessPoolExecutor`` (b).

Usage: ``python benchmarks/process_pool.py a|b PORTFOLIO``; alternate a and b several times on a
10,000-action portfolio (``benchmarks/scale.py --workdir DIR`` leaves one) and compare medians.
Figures: benchmarks/README.md ("Reading processes").
"""
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from generator.read import reading

_STATE = {}

def _init(config, content_dir, summarise):
    _STATE.update(config=config, content_dir=content_dir, summarise=summarise)

def _hand(files):
    return reading._read_files(files, _STATE["config"], _STATE["content_dir"], _STATE["summarise"])

def executor_read(files, config, content_dir, processes, summarise, pending):
    count = min(reading.MAX_HANDS, processes * reading.HANDS_PER_PROCESS, len(files))
    hands = [files[start::count] for start in range(count)]
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"),
                             initializer=_init, initargs=(config, content_dir, summarise)) as pool:
        futures = [pool.submit(_hand, hand) for hand in hands]
        while pending:
            pending.pop()()
        dealt = {i: f.result() for i, f in enumerate(futures)}
    outcomes = [None] * len(files)
    for start, hand in dealt.items():
        outcomes[start::count] = hand
    return outcomes

if sys.argv[1] == "b":
    reading._read_in_processes = executor_read
from generator.cli import main
start = time.perf_counter()
try:
    main(["--project", sys.argv[2], "check"], standalone_mode=False)
finally:
    print(f"{sys.argv[1]} {time.perf_counter() - start:.2f}", file=sys.stderr)
