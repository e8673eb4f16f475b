#include "models/provider/provider.hpp"

#include <algorithm>
#include <cassert>

#include "models/provider/price.hpp"

namespace ratesim::models::provider {

Provider::Provider(const ProviderConfig& config, std::uint64_t seed)
    : config_(config),
      overload_(config.overload, kernel::RandomStream(seed, "provider.overload")),
      batch_rng_(seed, "provider.batch") {
  groups_.reserve(config_.groups.size());
  for (const Group& g : config_.groups) {
    groups_.emplace_back(g);
    parent_.push_back(static_cast<std::uint32_t>(parent_.size()));
    group_workspace_.push_back(-1);
    acceleration_.push_back(make_acceleration(config_.acceleration, g.limits, acceleration_.size()));
  }
  // Each workspace's caps on a group are a group of their own, with the organization's
  // limiter and burst, holding only the budgets the workspace caps.
  for (std::size_t w = 0; w < config_.workspaces.size(); ++w) {
    workspace_groups_.emplace_back(config_.groups.size(), kNoGroup);
    for (const Workspace::GroupCaps& caps : config_.workspaces[w].caps) {
      const auto it = std::find_if(config_.groups.begin(), config_.groups.end(),
                                   [&](const Group& g) { return g.name == caps.group; });
      assert(it != config_.groups.end());
      Group capped = *it;
      capped.limits = caps.limits;
      // A workspace caps only budgets its group has (the reader refuses others), so what an
      // attempt is debited is the organization's group's budgets alone.
      for (std::size_t b = 0; b < kBudgetCount; ++b) assert(!caps.limits.at(b) || it->limits.at(b));
      const auto org = static_cast<std::uint32_t>(it - config_.groups.begin());
      workspace_groups_[w][org] = static_cast<std::uint32_t>(groups_.size());
      groups_.emplace_back(capped);
      parent_.push_back(org);
      group_workspace_.push_back(static_cast<int>(w));
    }
  }
  for (const Model& m : config_.models) {
    const auto it = std::find_if(config_.groups.begin(), config_.groups.end(),
                                 [&](const Group& g) { return g.name == m.group; });
    assert(it != config_.groups.end());
    model_group_.push_back(static_cast<std::uint32_t>(it - config_.groups.begin()));
    latency_.emplace_back(m.latency, kernel::RandomStream(seed, "provider.latency." + m.name));
  }
}

Provider::~Provider() = default;

bool Provider::spend_exhausted() const {
  return config_.spend_limit && config_.spend_limit->spent_usd + spent_ >= config_.spend_limit->monthly_usd;
}

kernel::Time Provider::spend_limit_reached_at() const {
  if (!config_.spend_limit) return kernel::kNever;
  // Reached before the run: from its first moment.
  if (config_.spend_limit->spent_usd >= config_.spend_limit->monthly_usd) return kernel::kTimeZero;
  return spend_reached_;
}

void Provider::add_spend(Time now, double usd) {
  const bool before = spend_exhausted();
  spent_ += usd;
  if (!before && spend_exhausted()) spend_reached_ = now;
}

void Provider::set_workspace(std::uint16_t workload, std::size_t workspace) {
  if (workload >= workload_workspace_.size()) workload_workspace_.resize(workload + 1, -1);
  workload_workspace_[workload] = static_cast<int>(workspace);
}

std::uint32_t Provider::workspace_group(std::uint16_t workload, std::uint32_t group) const {
  if (workload >= workload_workspace_.size() || workload_workspace_[workload] < 0) return kNoGroup;
  return workspace_groups_[static_cast<std::size_t>(workload_workspace_[workload])][group];
}

const std::string& Provider::group_workspace(std::size_t i) const {
  static const std::string kOrganization;
  return group_workspace_[i] < 0 ? kOrganization
                                 : config_.workspaces[static_cast<std::size_t>(group_workspace_[i])].name;
}

int Provider::model_index(const std::string& name) const {
  for (std::size_t i = 0; i < config_.models.size(); ++i)
    if (config_.models[i].name == name) return static_cast<int>(i);
  return -1;
}

void Provider::add_cache(std::uint16_t workload, Duration ttl, std::uint32_t keys) {
  if (workload >= workload_cache_.size()) workload_cache_.resize(workload + 1, -1);
  workload_cache_[workload] = static_cast<int>(cache_.add_space(ttl, keys));
}

int Provider::split_prompt(Time now, Request& r) const {
  r.input_tokens = r.prompt;
  r.cache_write_tokens = r.cache_read_tokens = 0;
  const int space = r.workload < workload_cache_.size() ? workload_cache_[r.workload] : -1;
  const std::uint32_t prefix = std::min(r.cache_prefix, r.prompt);
  // Prefixes shorter than the model's minimum are not cached (and no error is raised).
  if (space < 0 || prefix == 0 || prefix < config_.models[r.model].cache.min_tokens) return -1;
  r.input_tokens = r.prompt - prefix;
  if (cache_.live(static_cast<std::uint32_t>(space), r.cache_key, now)) r.cache_read_tokens = prefix;
  else r.cache_write_tokens = prefix;
  return space;
}

void Provider::fill_headers(Time now, std::uint32_t group, std::uint32_t workspace_group,
                            RateLimitHeaders* headers) {
  if (!headers) return;
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    Limiter* l = groups_[group].budget(i);
    // Where the workspace caps the budget too, the headers speak of the scope with less room.
    if (Limiter* w = workspace_group == kNoGroup ? nullptr : groups_[workspace_group].budget(i))
      if (!l || w->remaining(now) < l->remaining(now)) l = w;
    if (!l) continue;
    (*headers)[i] = BudgetHeader{.limit = l->limit(),
                                     .remaining = l->remaining(now),
                                     .reset = l->until_full(now)};
  }
}

Decision Provider::decide(Time now, Request& r, RateLimitHeaders* headers) {
  Decision d;
  AttemptDecision& a = d.attempt;
  a.group = model_group_[r.model];
  a.workspace_group = workspace_group(r.workload, a.group);
  LimitGroup& g = groups_[a.group];
  const Model& model = config_.models[r.model];

  // The monthly spend limit refuses everything once reached, with no retry-after: only the next
  // month or a higher tier helps.
  if (spend_exhausted()) {
    a.result.outcome = AttemptOutcome::k429;
    a.result.cause = LimitCause::kSpend;
    a.result.should_retry = config_.should_retry.spend;
    return d;
  }
  if (overload_.overloaded(now)) {
    a.result.outcome = AttemptOutcome::k529;
    a.result.should_retry = config_.should_retry.overload;
    return d;
  }

  const int space = split_prompt(now, r);
  const bool actual = config_.otpm_accounting == OtpmAccounting::kActual;
  std::int64_t input = static_cast<std::int64_t>(r.input_tokens) + r.cache_write_tokens;
  if (model.cache.reads_count) input += r.cache_read_tokens;
  // Reserve: max_tokens must fit now. Actual: one token of room is enough; output is debited
  // as it is produced (at completion).
  const auto max_tokens = static_cast<std::int64_t>(r.max_tokens);
  const std::int64_t tokens = config_.tpm_cost == TpmCost::kSum ? input + max_tokens
                                                                : std::max(input, max_tokens);
  const Costs costs{1, input, actual ? 0 : max_tokens, tokens};
  Costs check = costs;
  if (actual) check[index(LimitCause::kOtpm)] = 1;

  Admission adm = g.check(now, check);
  if (a.workspace_group != kNoGroup) {
    // The request must fit both scopes; the refusal is blamed on the longer wait (ties: the
    // organization's, whose cap applies whatever the workspace allows).
    const Admission ws = groups_[a.workspace_group].check(now, check);
    if (ws.wait > adm.wait) {
      adm = ws;
      a.result.scope = Scope::kWorkspace;
    }
  }
  if (!adm.admitted) {
    a.result.outcome = AttemptOutcome::k429;
    a.result.cause = adm.cause;
    a.result.never_fits = adm.never_fits;
    a.result.retry_after = retry_after_for(adm.wait);
    a.result.should_retry = config_.should_retry.rate_limit;
    if (config_.rejected_consume && g.consume_rejected(now))
      a.debited[index(LimitCause::kRpm)] = 1;
    fill_headers(now, a.group, a.workspace_group, headers);
    return d;
  }
  if (AccelerationModel* acc = acceleration_[a.group].get()) {
    Duration wait{0};
    if (!acc->allows(now, costs, wait)) {
      a.result.outcome = AttemptOutcome::k429;
      a.result.cause = LimitCause::kAcceleration;
      a.result.retry_after = retry_after_for(wait);
      a.result.should_retry = config_.should_retry.acceleration;
      fill_headers(now, a.group, a.workspace_group, headers);
      return d;
    }
    acc->record(now, costs);
  }
  g.take(now, costs);
  d.settle_group = a.group;
  if (a.workspace_group != kNoGroup) {
    groups_[a.workspace_group].take(now, costs);
    d.settle_group = a.workspace_group;
  }
  for (std::size_t i = 0; i < kBudgetCount; ++i)
    if (g.budget(i)) a.debited[i] = costs[i];
  a.result.outcome = AttemptOutcome::kOk;
  fill_headers(now, a.group, a.workspace_group, headers);
  a.billed = true;
  double write_multiplier = kCacheWrite5mMultiplier;
  if (space >= 0) {
    const auto s = static_cast<std::uint32_t>(space);
    cache_.touch(s, r.cache_key, now);
    write_multiplier = cache_write_multiplier(cache_.ttl(s));
  }
  a.charge = charge_for(model.price, r, write_multiplier);
  add_spend(now, a.charge.total());
  d.service = latency_[r.model].service_time(r);
  d.settle_output = actual ? static_cast<std::int64_t>(r.output_tokens)
                           : static_cast<std::int64_t>(r.max_tokens) - r.output_tokens;
  return d;
}

Charge Provider::batch_charge(Time now, Request& r) {
  const int space = split_prompt(now, r);
  double write_multiplier = kCacheWrite5mMultiplier;
  if (space >= 0) {
    cache_.touch(static_cast<std::uint32_t>(space), r.cache_key, now);
    write_multiplier = cache_write_multiplier(cache_.ttl(static_cast<std::uint32_t>(space)));
  }
  Charge c = charge_for(config_.models[r.model].price, r, write_multiplier);
  c.input *= kBatchDiscount;
  c.cache_write *= kBatchDiscount;
  c.cache_read *= kBatchDiscount;
  c.output *= kBatchDiscount;
  add_spend(now, c.total());
  return c;
}

Duration Provider::batch_processing_time() {
  return kernel::from_seconds(std::min(config_.batch_processing.sample(batch_rng_), 365.0 * 86400));
}

std::int64_t Provider::complete(Time now, std::uint32_t group, Time taken_at,
                                std::int64_t settle_output) {
  if (settle_output <= 0) return 0;
  const bool actual = config_.otpm_accounting == OtpmAccounting::kActual;
  auto settle = [&](std::uint32_t g) {
    Limiter* otpm = groups_[g].budget(LimitCause::kOtpm);
    if (!otpm) return false;
    if (actual) otpm->overdraw(now, settle_output);
    else otpm->give_back(now, taken_at, settle_output);
    return true;
  };
  // A workspace's caps, then the organization's group they cap (the one that has otpm if any).
  const bool capped = parent_[group] != group && settle(group);
  if (!settle(parent_[group]) && !capped) return 0;
  const std::int64_t change = actual ? settle_output : -settle_output;
  // The acceleration signal follows what counts toward the budget, so a refunded reservation
  // leaves it too.
  if (AccelerationModel* acc = acceleration_[parent_[group]].get())
    acc->settle(now, index(LimitCause::kOtpm), change);
  return change;
}

}  // namespace ratesim::models::provider
