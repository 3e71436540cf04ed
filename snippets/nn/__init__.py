"""NumPy recurrent layers (RNN, GRU, LSTM) in PyTorch's parameter layout, shown on the site."""
