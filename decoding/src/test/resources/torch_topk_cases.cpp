// Generates torch-topk-cases.txt: the CPU algorithm of torch.topk(largest=True, sorted=True)
// (PyTorch topk_impl_loop: std::partial_sort when k*64 <= n, else std::nth_element + std::sort of
// the first k-1) run by libstdc++ itself, on inputs full of ties. TorchTopKTest compares TorchTopK with it.
// Build and run: g++ -O2 -std=c++17 torch_topk_cases.cpp -o gen && ./gen > torch-topk-cases.txt
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <utility>
#include <vector>

int main() {
  using elem_t = std::pair<float, int64_t>;
  auto comp = [](const elem_t& x, const elem_t& y) -> bool {
    return (std::isnan(x.first) && !std::isnan(y.first)) || (x.first > y.first);
  };
  const float pool[] = {-std::numeric_limits<float>::infinity(), -1.0e9f, -3.0f, -2.5f, 0.0f, 1.0f};
  const int sizes[] = {4, 10, 15, 16, 17, 30, 40, 64, 200, 640, 641, 970};
  const int ks[] = {1, 2, 4, 5, 10, 15};
  uint64_t state = 12345;
  auto next = [&state]() { state = state * 6364136223846793005ULL + 1442695040888963407ULL; return state >> 33; };
  std::printf("# n k values... | indices...\n");
  for (int n : sizes) {
    for (int k : ks) {
      if (k > n) continue;
      for (int rep = 0; rep < 3; rep++) {
        int distinct = rep == 0 ? 1 : (rep == 1 ? 2 : 6);
        std::vector<elem_t> queue(n);
        for (int j = 0; j < n; j++) queue[j] = {pool[(next() % distinct) + (rep == 1 ? 1 : 0)], j};
        std::vector<float> input(n);
        for (int j = 0; j < n; j++) input[j] = queue[j].first;
        if ((int64_t)k * 64 <= n) {
          std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), comp);
        } else {
          std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(), comp);
          std::sort(queue.begin(), queue.begin() + k - 1, comp);
        }
        std::printf("%d %d", n, k);
        for (float v : input) std::printf(" %g", v);
        std::printf(" |");
        for (int j = 0; j < k; j++) std::printf(" %lld", (long long)queue[j].second);
        std::printf("\n");
      }
    }
  }
  return 0;
}
