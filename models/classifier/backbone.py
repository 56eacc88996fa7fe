"""MobileNetV2 (nsfwjs 4.3.0 weights, MIT) rebuilt in PyTorch from its Keras topology, cut at the last tapped layer.

The network takes RGB in 0..1 (nsfwjs divides by 255, no mean/std) as NCHW and returns, for each tapped layer,
the per-channel spatial mean and standard deviation of its activations, concatenated. Intermediate layers keep the
local texture statistics that up-sampling and denoising leave behind; the last layers mostly know objects.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Tapped layers (Keras names) and their channel counts; output order follows this list.
TAPS_ALL = {
    'block_2_add': 24, 'block_5_add': 32, 'block_9_add': 64, 'block_12_add': 96, 'block_15_add': 160,
    'block_16_project_BN': 320, 'out_relu': 1280,
}


def load_weights(folder):
    meta = json.load(open(os.path.join(folder, 'weights.json')))
    flat = np.fromfile(os.path.join(folder, 'weights.f32'), dtype=np.float32)
    out = {}
    for w in meta:
        n = int(np.prod(w['shape']))
        out[w['name']] = flat[w['offset']:w['offset'] + n].reshape(w['shape'])
    return out


class KerasMobileNetV2(nn.Module):
    def __init__(self, folder, taps):
        super().__init__()
        layers = json.load(open(os.path.join(folder, 'topology.json')))
        weights = load_weights(folder)
        self.taps = list(taps)
        last = max(i for i, l in enumerate(layers) if l['name'] in self.taps)
        self.plan = []  # (name, kind, inputs, args)
        self.mods = nn.ModuleDict()
        for layer in layers[1:last + 1]:
            name, cls, cfg = layer['name'], layer['class_name'], layer['config']
            inputs = [x[0] for x in layer['inbound_nodes'][0]]
            key = name.replace('/', '_')
            if cls == 'ZeroPadding2D':
                (t, b), (l_, r) = cfg['padding']
                self.plan.append((name, 'pad', inputs, (l_, r, t, b)))
            elif cls in ('Conv2D', 'DepthwiseConv2D'):
                k = weights[f'{name}/kernel' if cls == 'Conv2D' else f'{name}/depthwise_kernel']
                kh, kw, cin, cout = k.shape
                groups = 1
                if cls == 'DepthwiseConv2D':
                    groups, cout = cin, cin * cout
                    wt = k.transpose(2, 3, 0, 1).reshape(cout, 1, kh, kw)
                else:
                    wt = k.transpose(3, 2, 0, 1)
                pad = kh // 2 if cfg['padding'] == 'same' else 0
                if cfg['padding'] == 'same' and cfg['strides'][0] != 1:
                    raise ValueError(f'{name}: strided same padding is not supported')
                conv = nn.Conv2d(cin if groups == 1 else cin, cout, (kh, kw), cfg['strides'][0], pad, groups=groups,
                                 bias=cfg['use_bias'])
                conv.weight.data = torch.from_numpy(np.ascontiguousarray(wt))
                if cfg['use_bias']:
                    conv.bias.data = torch.from_numpy(weights[f'{name}/bias'])
                self.mods[key] = conv
                self.plan.append((name, 'mod', inputs, key))
            elif cls == 'BatchNormalization':
                bn = nn.BatchNorm2d(weights[f'{name}/gamma'].shape[0], eps=cfg['epsilon'])
                bn.weight.data = torch.from_numpy(weights[f'{name}/gamma'])
                bn.bias.data = torch.from_numpy(weights[f'{name}/beta'])
                bn.running_mean.data = torch.from_numpy(weights[f'{name}/moving_mean'])
                bn.running_var.data = torch.from_numpy(weights[f'{name}/moving_variance'])
                self.mods[key] = bn
                self.plan.append((name, 'mod', inputs, key))
            elif cls == 'ReLU':
                self.plan.append((name, 'relu6', inputs, cfg.get('max_value')))
            elif cls == 'Add':
                self.plan.append((name, 'add', inputs, None))
            else:
                raise ValueError(f'unsupported layer {cls} ({name})')
        self.input_name = layers[0]['name']
        self.eval()

    def forward(self, frame):
        acts = {self.input_name: frame}
        for name, kind, inputs, arg in self.plan:
            x = acts[inputs[0]]
            if kind == 'pad':
                x = F.pad(x, arg)
            elif kind == 'mod':
                x = self.mods[arg](x)
            elif kind == 'relu6':
                x = torch.clamp(x, 0.0, float(arg)) if arg is not None else F.relu(x)
            elif kind == 'add':
                x = x + acts[inputs[1]]
            acts[name] = x
        feats = []
        for t in self.taps:
            a = acts[t]
            m = a.mean((2, 3))
            s = (a - m[:, :, None, None]).pow(2).mean((2, 3)).add(1e-6).sqrt()
            feats += [m, s]
        return torch.cat(feats, 1)


def feature_slices(taps):
    """Column ranges of each tap's [mean, std] block in the feature vector."""
    out, o = {}, 0
    for t in taps:
        c = TAPS_ALL[t]
        out[t] = (o, o + 2 * c)
        o += 2 * c
    return out
