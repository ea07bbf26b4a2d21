#!/usr/bin/python3
"""PyTorch reference for `seq4j lm` training speed: the word_language_model example's model (embedding -> LSTM
stack -> linear decoder, cross-entropy, SGD, clip_grad_norm_, hidden state carried and detached between segments)
at Zaremba et al.'s "small" sizes, on random token ids (speed only). Prints 'RESULT {json}' with tokens/s.

Run: OPENBLAS_CORETYPE=Haswell /usr/bin/python3 torch_word_lm.py --threads 1 [--cell lstm|gru|rnn_tanh]
"""
import argparse, json, time
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--vocab", type=int, default=10000)
p.add_argument("--units", type=int, default=200)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--batch", type=int, default=20)
p.add_argument("--bptt", type=int, default=20)
p.add_argument("--cell", default="lstm")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=20)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Embedding(a.vocab, a.units)
        if a.cell == "lstm":
            self.rnn = nn.LSTM(a.units, a.units, a.layers)
        elif a.cell == "gru":
            self.rnn = nn.GRU(a.units, a.units, a.layers)
        else:
            self.rnn = nn.RNN(a.units, a.units, a.layers, nonlinearity="tanh")
        self.dec = nn.Linear(a.units, a.vocab)

    def forward(self, x, h):
        o, h = self.rnn(self.enc(x), h)
        return self.dec(o).view(-1, a.vocab), h


m = Model()
opt = torch.optim.SGD(m.parameters(), lr=1.0)
crit = nn.CrossEntropyLoss()
data = torch.randint(0, a.vocab, (a.bptt + 1, a.batch))
h0 = torch.zeros(a.layers, a.batch, a.units)
h = (h0, h0.clone()) if a.cell == "lstm" else h0


def detach(h):
    return tuple(x.detach() for x in h) if isinstance(h, tuple) else h.detach()


def step(h):
    h = detach(h)
    opt.zero_grad()
    out, h = m(data[:-1], h)
    loss = crit(out, data[1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 5.0)
    opt.step()
    return h


for _ in range(5):
    h = step(h)
n = 0
t0 = time.perf_counter()
while time.perf_counter() - t0 < a.seconds:
    h = step(h)
    n += 1
dt = time.perf_counter() - t0
print("RESULT " + json.dumps({"cell": a.cell, "units": a.units, "layers": a.layers, "vocab": a.vocab,
                              "batch": a.batch, "bptt": a.bptt, "threads": torch.get_num_threads(),
                              "tokens_per_s": n * a.batch * a.bptt / dt, "ms_per_segment": 1000 * dt / n,
                              "torch": torch.__version__}))
