#include "sim/kernel/random_stream.hpp"

#include <array>
#include <cmath>

namespace ratesim::kernel {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// The ziggurat method (G. Marsaglia and W. W. Tsang, "The Ziggurat Method for Generating Random
// Variables", Journal of Statistical Software 5(8), 2000), with 256 layers of equal area `v`
// under a decreasing density f: layer 0 is the base strip and the tail beyond r, layer i ≥ 1 the
// rectangle [0, x[i]] × [f(x[i]), f(x[i+1])]. A draw picks a layer and a point along it from one
// 64-bit number (the layer from the low 8 bits, the point from the top 53: disjoint bits, so
// they are independent, the flaw J. A. Doornik pointed out in the original); about 99% of draws
// fall inside the part of the layer under the curve and need no logarithm or exponential.
constexpr int kLayers = 256;

struct Ziggurat {
  std::array<double, kLayers + 1> x;  ///< layer edges, x[1] = r, x[kLayers] = 0
  std::array<double, kLayers + 1> f;  ///< the density at each edge
};

Ziggurat make_ziggurat(double r, double v, double (*density)(double), double (*inverse)(double)) {
  Ziggurat z{};
  z.x[0] = v / density(r);
  z.x[1] = r;
  for (int i = 2; i < kLayers; ++i) {
    const double y = v / z.x[i - 1] + density(z.x[i - 1]);
    z.x[i] = y < 1.0 ? inverse(y) : 0.0;
  }
  z.x[kLayers] = 0;
  for (int i = 0; i <= kLayers; ++i) z.f[i] = density(z.x[i]);
  return z;
}

double normal_density(double x) { return std::exp(-0.5 * x * x); }
double normal_inverse(double y) { return std::sqrt(-2.0 * std::log(y)); }
double exponential_density(double x) { return std::exp(-x); }
double exponential_inverse(double y) { return -std::log(y); }

// r and v for 256 layers, from Marsaglia and Tsang (2000).
constexpr double kNormalR = 3.6541528853610088;
constexpr double kNormalV = 0.00492867323399;
constexpr double kExponentialR = 7.69711747013104972;
constexpr double kExponentialV = 0.0039496598225815571993;

// Built before main(); no random stream is drawn from during static initialisation.
const Ziggurat kNormal = make_ziggurat(kNormalR, kNormalV, normal_density, normal_inverse);
const Ziggurat kExponential = make_ziggurat(kExponentialR, kExponentialV, exponential_density, exponential_inverse);

}  // namespace

std::uint64_t stream_seed(std::uint64_t seed, std::string_view name) {
  // FNV-1a over the name, then mixed with the seed: stable across platforms and releases.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  std::uint64_t x = seed ^ (h * 0x9e3779b97f4a7c15ULL);
  return splitmix64(x);
}

RandomStream::RandomStream(std::uint64_t seed, std::string_view name)
    : RandomStream(stream_seed(seed, name)) {}

RandomStream::RandomStream(std::uint64_t raw_seed) {
  std::uint64_t x = raw_seed;
  for (auto& word : s_) word = splitmix64(x);
}

std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::uniform01() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double RandomStream::exponential(double mean) { return mean * standard_exponential(); }

double RandomStream::standard_exponential() {
  const Ziggurat& z = kExponential;
  for (;;) {
    const std::uint64_t bits = next_u64();
    const std::size_t i = bits & 0xff;
    const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * z.x[i];
    if (x < z.x[i + 1]) return x;
    // The tail beyond r is r plus a standard exponential: memorylessness. 1 - u lies in (0, 1].
    if (i == 0) return kExponentialR - std::log(1.0 - uniform01());
    if (z.f[i + 1] + (z.f[i] - z.f[i + 1]) * uniform01() < std::exp(-x)) return x;
  }
}

double RandomStream::standard_normal() {
  const Ziggurat& z = kNormal;
  for (;;) {
    const std::uint64_t bits = next_u64();
    const std::size_t i = bits & 0xff;
    const double u = 2.0 * (static_cast<double>(bits >> 11) * 0x1.0p-53) - 1.0;  // [-1, 1)
    const double x = u * z.x[i];
    if (std::abs(x) < z.x[i + 1]) return x;
    if (i == 0) {
      // The tail beyond r (G. Marsaglia, "Generating a variable from the tail of the normal
      // distribution", Technometrics 6(1), 1964), on the side u chose.
      double t = 0, y = 0;
      do {
        t = -std::log(1.0 - uniform01()) / kNormalR;
        y = -std::log(1.0 - uniform01());
      } while (2 * y < t * t);
      return u < 0 ? -(kNormalR + t) : kNormalR + t;
    }
    if (z.f[i + 1] + (z.f[i] - z.f[i + 1]) * uniform01() < std::exp(-0.5 * x * x)) return x;
  }
}

double RandomStream::lognormal(double median, double sigma) {
  return median * std::exp(sigma * standard_normal());
}

}  // namespace ratesim::kernel
