// The WNology notebook client lands here.
export {};
