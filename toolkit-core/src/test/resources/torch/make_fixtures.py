#!/usr/bin/python3
"""Fixtures for seq4j's WeightImportTest: PyTorch nn.LSTM / nn.GRU / nn.RNN weights, an input and PyTorch's output,
in float64, as .npz files next to this script. Run once with Debian's python3-torch (1.13):

    /usr/bin/python3 toolkit-core/src/test/resources/torch/make_fixtures.py

Each file holds the state dict (weight_ih_l0, ..., with _reverse for the backward direction), 'x' [B, T, nIn]
(batch_first) and 'y' [B, T, H * directions], the output of the whole stack, and 'torch_version'."""
import os
import numpy as np
import torch

torch.manual_seed(20261201)
here = os.path.dirname(os.path.abspath(__file__))
B, T, NIN, H = 2, 5, 3, 4
for name, cls, layers, bi in [("lstm_uni2", torch.nn.LSTM, 2, False), ("lstm_bi2", torch.nn.LSTM, 2, True),
                              ("gru_uni2", torch.nn.GRU, 2, False), ("gru_bi2", torch.nn.GRU, 2, True),
                              ("rnn_bi1", torch.nn.RNN, 1, True)]:
    m = cls(NIN, H, num_layers=layers, bidirectional=bi, batch_first=True).double()
    for p in m.parameters():
        torch.nn.init.uniform_(p, -0.8, 0.8)
    x = torch.rand(B, T, NIN, dtype=torch.float64) * 2 - 1
    with torch.no_grad():
        y, _ = m(x)
    arrays = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    arrays["x"] = x.numpy()
    arrays["y"] = y.numpy()
    arrays["torch_version"] = np.array([float(v) for v in torch.__version__.split("+")[0].split(".")[:2]])
    np.savez(os.path.join(here, name + ".npz"), **arrays)
    print(name, {k: v.shape for k, v in arrays.items()})
