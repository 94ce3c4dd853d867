from generator import nn

# PyTorch: floor, then ceil_mode for pooling; TensorFlow: 'SAME' pads to ceil(H/s)
print("conv  7, k3, s3:        ", nn.conv_output_size(7, 3, stride=3))
print("pool  7, k3, s3, ceil:  ", nn.pool_output_size(7, 3, stride=3, ceil_mode=True))
print("TF   7, k3, s3, SAME:   ", nn.tf_output_size(7, 3, stride=3, padding="SAME"))
print("PyTorch 'same' padding for k=4:", nn.same_padding(4))
print("input 4, pad 1, k3, s2: ", nn.conv_output_size(4, 3, stride=2, padding=1))
