#include "models/client/layer_factory.hpp"

#include "models/client/adaptive_layer.hpp"
#include "models/client/aws_rate_layer.hpp"
#include "models/client/breaker_layer.hpp"
#include "models/client/cooldown_layer.hpp"
#include "models/client/pace_layer.hpp"
#include "models/client/throttle_layer.hpp"
#include "models/client/ramp_layer.hpp"
#include "models/client/retry_budget_layer.hpp"
#include "models/client/retry_layer.hpp"
#include "models/client/route_layer.hpp"
#include "models/client/semaphore_layer.hpp"

namespace ratesim::models::client {
namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
}  // namespace

std::unique_ptr<ClientLayer> make_layer(const LayerConfig& config, LayerHost& host,
                                        std::uint16_t workload, std::size_t index,
                                        std::uint64_t seed, const std::string& stream_name) {
  return std::visit(
      Overloaded{
          [&](const SemaphoreConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<SemaphoreLayer>(c, host, index);
          },
          [&](const RetryConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<RetryLayer>(c, host, index,
                                                kernel::RandomStream(seed, stream_name));
          },
          [&](const RampConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<RampLayer>(c, host, workload, index);
          },
          [&](const CooldownConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<CooldownLayer>(c, host, workload, index);
          },
          [&](const ThrottleConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<ThrottleLayer>(c, host, index,
                                                   kernel::RandomStream(seed, stream_name));
          },
          [&](const BreakerConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<BreakerLayer>(c, host, index);
          },
          [&](const PaceConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<PaceLayer>(c, host, workload, index);
          },
          [&](const AwsRateConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<AwsRateLayer>(c, host, workload, index);
          },
          [&](const RetryBudgetConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<RetryBudgetLayer>(c, host, index);
          },
          [&](const RouteConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<RouteLayer>(c, host, index, kernel::RandomStream(seed, stream_name));
          },
          [&](const AdaptiveConfig& c) -> std::unique_ptr<ClientLayer> {
            return std::make_unique<AdaptiveLayer>(c, host, index,
                                                   kernel::RandomStream(seed, stream_name));
          },
      },
      config);
}

std::string layer_kind(const LayerConfig& config) { return std::string(kLayerKinds[config.index()]); }

}  // namespace ratesim::models::client
