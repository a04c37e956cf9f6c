// The Cumulocity Machine Learning Workbench client lands here.
export {};
