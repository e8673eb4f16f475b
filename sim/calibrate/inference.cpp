#include "sim/calibrate/inference.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::calibrate {
namespace {

using models::BudgetCost;
using models::LimitCause;

double lognormal_cdf(const LognormalFit& f, double x) {
  if (x <= 0) return 0;
  if (f.sigma <= 0) return x >= f.median ? 1 : 0;
  return normal_cdf(std::log(x / f.median) / f.sigma);
}

double lognormal_quantile(const LognormalFit& f, double p) {
  return f.median * std::exp(f.sigma * normal_quantile(std::clamp(p, 1e-12, 1 - 1e-12)));
}

/// The budget an attempt's whole prompt is counted in (input tokens), if the log has one.
constexpr std::size_t input_budget() {
  for (std::size_t b = 0; b < models::kBudgetCount; ++b)
    if (models::kBudgets[b].cost == BudgetCost::kInput) return b;
  return models::kBudgetCount;
}

bool has_header(const LoggedBudget& h) { return h.limit > 0 && !std::isnan(h.remaining); }

/// True when 429 `a` looks refused for its size: no message naming another cause, and every
/// budget that does not count the prompt had room. Then `room` is the input budget's remaining.
bool size_refusal(const LoggedAttempt& a, const HeaderSlack& slack, double& room) {
  constexpr std::size_t in = input_budget();
  if (a.named_cause != LimitCause::kNone && a.named_cause != static_cast<LimitCause>(in)) return false;
  if (!has_header(a.budgets[in])) return false;
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    const LoggedBudget& h = a.budgets[b];
    const BudgetCost cost = models::kBudgets[b].cost;
    if (b == in || !has_header(h) || cost == BudgetCost::kTokens) continue;
    if (h.remaining - slack[b] < 1) return false;  // requests and output need one unit of room
  }
  room = a.budgets[in].remaining;
  return true;
}

}  // namespace

double fixed_uniform(std::uint64_t index, std::uint64_t stream) {
  // SplitMix64 (Steele, Lea and Flood 2014) of the pair.
  std::uint64_t z = index * 0x9E3779B97F4A7C15ULL + stream * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
}

HeaderSlack header_slack(const AttemptsLog& log) {
  HeaderSlack slack{};
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    // The largest step every remaining value is a multiple of, among 1,000, 100 and 10, given
    // enough values that are not zero to tell.
    std::uint64_t nonzero = 0;
    bool by[3] = {true, true, true};
    constexpr double kSteps[3] = {1000, 100, 10};
    for (const LoggedAttempt& a : log.attempts) {
      const double r = a.budgets[b].remaining;
      if (a.budgets[b].limit <= 0 || std::isnan(r) || r == 0) continue;
      ++nonzero;
      for (int k = 0; k < 3; ++k)
        if (std::fmod(r, kSteps[k]) != 0) by[k] = false;
    }
    if (nonzero < 5) continue;
    for (int k = 0; k < 3; ++k)
      if (by[k]) {
        slack[b] = kSteps[k] / 2;
        break;
      }
  }
  return slack;
}

models::LimitCause infer_cause(const LoggedAttempt& a, std::int64_t prompt, const HeaderSlack& slack) {
  if (a.named_cause != LimitCause::kNone) return a.named_cause;
  const double p = prompt >= 0 ? static_cast<double>(prompt) : std::nan("");
  const double max_tokens = a.max_tokens >= 0 ? static_cast<double>(a.max_tokens) : 0.0;
  bool any = false, undecided = false;
  LimitCause worst = LimitCause::kNone;
  double longest = -1;
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    const LoggedBudget& h = a.budgets[b];
    if (!has_header(h)) continue;
    any = true;
    double need = 1;  // a request, or one token of output room (actual accounting)
    if (models::kBudgets[b].cost == BudgetCost::kInput) need = p;
    if (models::kBudgets[b].cost == BudgetCost::kTokens) need = p + max_tokens;
    if (std::isnan(need)) {
      undecided = true;
      continue;
    }
    if (need <= h.remaining - slack[b]) continue;  // room, by more than rounding explains
    // What is missing, at the header's own value; a budget shown near zero may be below it
    // (output is debited after the fact), which its reset tells: the bucket (one minute of the
    // limit) is full again then.
    const double rate = static_cast<double>(h.limit) / 60.0;
    double level = h.remaining;
    if (h.remaining <= slack[b] && !std::isnan(h.reset))
      level = std::min(level, static_cast<double>(h.limit) - std::max(0.0, h.reset - a.time - 0.5) * rate);
    const double wait = std::max(0.0, need - level) / rate;
    if (wait > longest) {
      longest = wait;
      worst = static_cast<LimitCause>(b);
    }
  }
  if (!any) return kUnknownCause;
  if (worst != LimitCause::kNone) return worst;
  return undecided ? kUnknownCause : LimitCause::kAcceleration;
}

Inference infer(const AttemptsLog& log, const std::vector<LoggedRequest>& requests) {
  Inference inf;
  inf.slack = header_slack(log);
  const std::size_t models_n = log.models.size();
  const std::size_t n = requests.size();
  inf.prompt.assign(n, -1);
  inf.prompt_source.assign(n, PromptSource::kLogged);
  inf.prompt_above.assign(n, 0);
  std::vector<std::vector<double>> outputs(models_n);
  inf.largest_max_tokens.assign(models_n, 0);
  for (const LoggedRequest& r : requests) {
    if (r.output >= 0) outputs[r.model].push_back(static_cast<double>(r.output));
    inf.largest_max_tokens[r.model] = std::max({inf.largest_max_tokens[r.model], r.max_tokens, r.output});
  }
  for (std::int64_t& m : inf.largest_max_tokens)
    if (m <= 0) m = 4096;

  // What each request says of its prompt's distribution. Only its first attempt is sent at a
  // time independent of its size (at arrival); a retry's timing and success depend on the size,
  // so what later attempts show would bias the fit small. The first attempt shows the prompt
  // when it succeeded or logged it; a refusal for size shows only that the prompt exceeded the
  // input room (censored there); any other refusal says nothing of the size.
  // Separately, every refusal for size bounds the unseen prompt of a request that never
  // succeeded from below: its draw is above the largest plausible such room.
  constexpr std::size_t in = input_budget();
  std::vector<double> first_room(n, -1);  // >= 0: the first attempt was (or may be) refused for size there
  std::vector<std::vector<double>> rooms(n);
  std::vector<std::vector<double>> exact(models_n);
  inf.fit_exact.assign(n, -1);
  inf.fit_above.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const LoggedRequest& r = requests[i];
    const LoggedAttempt& first = log.attempts[r.attempt_index.front()];
    double room = 0;
    if (first.prompt() >= 0) {
      inf.fit_exact[i] = static_cast<double>(first.prompt());
      exact[r.model].push_back(inf.fit_exact[i]);
    }
    else if (first.status == 429 && size_refusal(first, inf.slack, room) &&
             (r.prompt < 0 || infer_cause(first, r.prompt, inf.slack) == static_cast<LimitCause>(in)))
      first_room[i] = room;
    if (r.prompt >= 0) continue;
    for (const std::uint32_t k : r.attempt_index)
      if (log.attempts[k].status == 429 && size_refusal(log.attempts[k], inf.slack, room)) rooms[i].push_back(room);
  }
  // Fit, then keep only the refusals the fit finds plausible as ones for size, and fit again: a
  // refusal at a room that no plausible prompt exceeds was not one for size.
  inf.prompt_fit.resize(models_n);
  for (std::size_t m = 0; m < models_n; ++m) inf.prompt_fit[m] = fit_lognormal(exact[m]);
  const auto plausible = [&](const LognormalFit& f, double room) {
    return f.n == 0 || 1 - lognormal_cdf(f, room - inf.slack[in]) >= kPlausibleSize;
  };
  for (int round = 0; round < 2; ++round) {
    std::vector<std::vector<double>> above(models_n);
    for (std::size_t i = 0; i < n; ++i) {
      const LoggedRequest& r = requests[i];
      const LognormalFit& f = inf.prompt_fit[r.model];
      inf.fit_above[i] = -1;
      if (first_room[i] >= 0 && (r.prompt >= 0 || plausible(f, first_room[i]))) {
        inf.fit_above[i] = std::max(first_room[i], 1.0);
        above[r.model].push_back(inf.fit_above[i]);
      }
      double bound = 0;
      for (const double room : rooms[i])
        if (room > bound && plausible(f, room)) bound = room;
      inf.prompt_above[i] = bound;
    }
    for (std::size_t m = 0; m < models_n; ++m)
      if (!exact[m].empty()) inf.prompt_fit[m] = fit_lognormal_censored(exact[m], above[m]);
  }
  inf.output_fit.resize(models_n);
  for (std::size_t m = 0; m < models_n; ++m) inf.output_fit[m] = fit_sizes(outputs[m]);

  // Each unseen prompt: a fixed draw from its model's fit, above its bound.
  for (std::size_t i = 0; i < n; ++i) {
    const LoggedRequest& r = requests[i];
    if (r.prompt >= 0) {
      inf.prompt[i] = r.prompt;
      continue;
    }
    const LognormalFit& f = inf.prompt_fit[r.model];
    if (f.n == 0) {
      inf.prompt_source[i] = PromptSource::kNone;
      continue;
    }
    const double below = lognormal_cdf(f, inf.prompt_above[i]);
    const double p = below + (1 - below) * fixed_uniform(i, 1);
    inf.prompt[i] = std::max<std::int64_t>(1, std::llround(lognormal_quantile(f, p)));
    inf.prompt_source[i] = inf.prompt_above[i] > 0 ? PromptSource::kBounded : PromptSource::kFitted;
  }

  inf.cause.assign(log.attempts.size(), LimitCause::kNone);
  inf.causes.assign(models_n, CauseCounts{});
  for (std::size_t i = 0; i < n; ++i)
    for (const std::uint32_t k : requests[i].attempt_index) {
      const LoggedAttempt& a = log.attempts[k];
      if (a.status != 429) continue;
      const LimitCause c = infer_cause(a, inf.prompt[i], inf.slack);
      inf.cause[k] = c;
      ++inf.causes[a.model][c == kUnknownCause ? models::kLimitCauseCount : models::index(c)];
    }
  return inf;
}

ReplaySizes replay_sizes(const Inference& inference, const LoggedRequest& r, std::size_t index) {
  ReplaySizes s;
  s.prompt_source = inference.prompt_source[index];
  s.prompt = inference.prompt[index] >= 0 ? std::max<std::int64_t>(1, inference.prompt[index]) : 1000;
  s.max_tokens_logged = r.max_tokens > 0;
  s.max_tokens = r.max_tokens > 0 ? r.max_tokens : inference.largest_max_tokens[r.model];
  s.output_logged = r.output >= 0;
  const SizeFit& outputs = inference.output_fit[r.model];
  const double drawn = outputs.n ? outputs.quantile(fixed_uniform(index, 2)) : 1.0;
  s.output = std::clamp<std::int64_t>(r.output >= 0 ? r.output : std::llround(drawn), 1, std::max<std::int64_t>(1, s.max_tokens));
  s.cached = r.cached;
  return s;
}

}  // namespace ratesim::calibrate
