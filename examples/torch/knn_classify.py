"""k-nearest-neighbour classification (K = 7) of points drawn around three centres, on keopsc's
compiled ArgKMin (float32).

    python3 knn_classify.py build/libtorch_kernels_torch.so

Checks that the returned neighbours are the 7 nearest by a float64 brute force (up to float32
near-ties) and that the majority vote classifies most held-out points correctly.
"""

import sys

import torch

import keopsc.torch


def blobs(n, centres):
    labels = torch.randint(len(centres), (n,))
    return centres[labels] + 0.6 * torch.randn(n, 3), labels


def main(path):
    lib = keopsc.torch.load(path)
    torch.manual_seed(0)
    centres = torch.tensor([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 2.0, 1.0]])
    train, train_labels = blobs(20000, centres)
    test, test_labels = blobs(2000, centres)

    neighbours = lib.knn(test, train)  # (2000, 7) int64 indices into train
    votes = train_labels[neighbours]
    predicted = torch.mode(votes, dim=1).values
    accuracy = (predicted == test_labels).double().mean().item()

    d64 = ((test[:, None, :].double() - train[None].double()) ** 2).sum(-1)
    got = d64.gather(1, neighbours)
    best = d64.topk(7, dim=1, largest=False).values
    gap = ((got - best).abs() / (best + 1e-6)).max().item()
    print("accuracy %.3f on %d held-out points; nearest-distance gap to float64 %.1e" % (
        accuracy, len(test), gap))
    ok = accuracy > 0.9 and gap < 1e-4
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
