/* knn_classify.c: k-nearest-neighbour classification of three noisy concentric rings.
   Owns the data and the vote; the neighbour search is knn_classify.kfl. Prints the accuracy and
   checks the neighbours of some queries against a brute force. Fixed seed: same output anywhere.
 */
#include "knn_classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { NTRAIN = 6000, NTEST = 2000, K = 7, CLASSES = 3, CHECKED = 200 };

static double uniform01(uint64_t *state) {
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(*state >> 11) * (1.0 / 9007199254740992.0);
}

/* A point of ring `label` (radius 1, 2 or 3) with Gaussian noise of 0.3 on the radius. */
static void samplePoint(uint64_t *state, int label, float *p) {
  double angle = 2 * 3.14159265358979 * uniform01(state);
  double u1 = uniform01(state) + 1e-12, u2 = uniform01(state);
  double noise = sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979 * u2); /* Box-Muller */
  double radius = 1 + label + 0.3 * noise;
  p[0] = (float)(radius * cos(angle));
  p[1] = (float)(radius * sin(angle));
}

static double sqDist(const float *a, const float *b) {
  double dx = (double)a[0] - b[0], dy = (double)a[1] - b[1];
  return dx * dx + dy * dy;
}

/* 1 if the K indices are the K nearest training points of q (allowing ties within 1e-5). */
static int neighboursAreNearest(const float *q, const float *train, const int64_t *found) {
  double kth = 0;
  int k, j, closer = 0;
  for (k = 0; k < K; ++k)
    if (found[k] < 0 || found[k] >= NTRAIN)
      return 0;
  for (k = 0; k < K; ++k)
    kth = fmax(kth, sqDist(q, &train[2 * found[k]]));
  for (j = 0; j < NTRAIN; ++j)
    closer += sqDist(q, &train[2 * j]) < kth - 1e-5;
  return closer <= K - 1;
}

int main(void) {
  static float train[2 * NTRAIN], test[2 * NTEST];
  static int trainLabel[NTRAIN], testLabel[NTEST];
  static int64_t found[NTEST * K];
  uint64_t state = 2024;
  int i, k, correct = 0, verified = 0;
  for (i = 0; i < NTRAIN; ++i) {
    trainLabel[i] = i % CLASSES;
    samplePoint(&state, trainLabel[i], &train[2 * i]);
  }
  for (i = 0; i < NTEST; ++i) {
    testLabel[i] = i % CLASSES;
    samplePoint(&state, testLabel[i], &test[2 * i]);
  }
  for (i = 0; i < NTEST * K; ++i)
    found[i] = -1;
  if (knn_classify_neighbours(NTEST, NTRAIN, test, train, found, NULL) != KEOPS_OK) {
    fprintf(stderr, "neighbours: %s\n", knn_classify_last_error());
    return 1;
  }
  for (i = 0; i < NTEST; ++i) {
    int votes[CLASSES] = {0}, best = 0, c;
    for (k = 0; k < K; ++k)
      ++votes[trainLabel[found[i * K + k]]];
    for (c = 1; c < CLASSES; ++c)
      if (votes[c] > votes[best])
        best = c;
    correct += best == testLabel[i];
  }
  for (i = 0; i < CHECKED; ++i)
    verified += neighboursAreNearest(&test[2 * i], train, &found[i * K]);

  printf("3 concentric rings (radii 1, 2, 3, noise 0.3): %d training, %d test points, K = %d\n",
         NTRAIN, NTEST, K);
  printf("test accuracy %.1f%% (the rings overlap: about 94%% is the best any classifier can do)\n",
         100.0 * correct / NTEST);
  printf("neighbours of the first %d test points equal a brute-force search: %d of %d\n", CHECKED,
         verified, CHECKED);
  return verified == CHECKED && correct > 0.8 * NTEST ? 0 : 1;
}
