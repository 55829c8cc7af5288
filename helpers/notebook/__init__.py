"""What a notebook cell calls to check its parameters and to show prose and tables; imports nothing of ours."""
