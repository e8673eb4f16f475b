#!/usr/bin/env python3
"""An independent implementation of ratesim's random streams (sim/kernel/random_stream.cpp):
splitmix64 seeding by FNV-1a of the stream's name, xoshiro256**, and the 256-layer ziggurat for
normal and exponential draws. It recomputes the first values the C++ tests pin
(tests/sim/kernel/random_stream_test.cpp, distribution_test.cpp) and fails if any differs, so a
pin cannot be updated to whatever the C++ happens to print: both implementations must agree."""
import math
import sys

M = (1 << 64) - 1


def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return x, z ^ (z >> 31)


def stream_seed(seed, name):
    h = 0xCBF29CE484222325
    for c in name.encode():
        h = ((h ^ c) * 0x100000001B3) & M
    return splitmix(seed ^ ((h * 0x9E3779B97F4A7C15) & M))[1]


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


class Stream:
    def __init__(self, seed, name):
        x, self.s = stream_seed(seed, name), []
        for _ in range(4):
            x, v = splitmix(x)
            self.s.append(v)

    def u64(self):
        s = self.s
        result, t = (rotl((s[1] * 5) & M, 7) * 9) & M, (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform01(self):
        return (self.u64() >> 11) * 2.0**-53


def ziggurat(r, v, f, inverse):
    x = [0.0] * 257
    x[0], x[1] = v / f(r), r
    for i in range(2, 256):
        y = v / x[i - 1] + f(x[i - 1])
        x[i] = inverse(y) if y < 1 else 0.0
    x[256] = 0.0
    return x, [f(t) for t in x]


NORMAL_R, EXPO_R = 3.6541528853610088, 7.69711747013104972
NX, NF = ziggurat(NORMAL_R, 0.00492867323399, lambda t: math.exp(-0.5 * t * t), lambda y: math.sqrt(-2 * math.log(y)))
EX, EF = ziggurat(EXPO_R, 0.0039496598225815571993, lambda t: math.exp(-t), lambda y: -math.log(y))


def standard_exponential(g):
    while True:
        bits = g.u64()
        i = bits & 255
        x = (bits >> 11) * 2.0**-53 * EX[i]
        if x < EX[i + 1]:
            return x
        if i == 0:
            return EXPO_R - math.log(1 - g.uniform01())
        if EF[i + 1] + (EF[i] - EF[i + 1]) * g.uniform01() < math.exp(-x):
            return x


def standard_normal(g):
    while True:
        bits = g.u64()
        i = bits & 255
        u = 2.0 * ((bits >> 11) * 2.0**-53) - 1.0
        x = u * NX[i]
        if abs(x) < NX[i + 1]:
            return x
        if i == 0:
            while True:
                t = -math.log(1 - g.uniform01()) / NORMAL_R
                y = -math.log(1 - g.uniform01())
                if 2 * y >= t * t:
                    return -(NORMAL_R + t) if u < 0 else NORMAL_R + t
        if NF[i + 1] + (NF[i] - NF[i + 1]) * g.uniform01() < math.exp(-0.5 * x * x):
            return x


def main():
    got = {}
    g = Stream(7, "pin")
    got["uniform01"] = g.uniform01()
    got["exponential(2)"] = 2.0 * standard_exponential(g)
    got["standard_normal"] = standard_normal(g)
    got["lognormal(100, 0.5)"] = 100.0 * math.exp(0.5 * standard_normal(g))
    g = Stream(11, "distributions")
    got["uniform[80, 400]"] = 80 + 320 * g.uniform01()
    while True:  # normal(100, 20) truncated below 1
        v = 100 + 20 * standard_normal(g)
        if v >= 1:
            break
    got["normal(100, 20)"] = v
    got["lognormal(6000, 0.3)"] = 6000 * math.exp(0.3 * standard_normal(g))
    got["exponential mean 2"] = 2 * standard_exponential(g)
    u = g.uniform01()
    got["empirical {10, 20, 30} weights {1, 1, 2}"] = 10 if u < 0.25 else 20 if u < 0.5 else 30
    pinned = {
        "uniform01": 0.64888050272214126,
        "exponential(2)": 1.6080523794993797,
        "standard_normal": 0.5964398071074732,
        "lognormal(100, 0.5)": 47.226094627461315,
        "uniform[80, 400]": 246.97294355193665,
        "normal(100, 20)": 84.5423943648505,
        "lognormal(6000, 0.3)": 4441.74361147796,
        "exponential mean 2": 1.8206482571102283,
        "empirical {10, 20, 30} weights {1, 1, 2}": 10,
    }
    bad = [k for k in pinned if abs(got[k] - pinned[k]) > 1e-9 * max(1.0, abs(pinned[k]))]
    for k in bad:
        print(f"{k}: reference {got[k]!r}, pinned {pinned[k]!r}", file=sys.stderr)
    print("random_reference:", "FAIL" if bad else "all pinned values agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
